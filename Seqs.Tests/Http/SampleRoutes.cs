using Seqs.Http;

namespace Seqs.Tests.Http;

/// <summary>The routes the HTTP tests share: <c>GET /</c> answers "hello", <c>GET /items/{id}</c> "item {id}".</summary>
internal static class SampleRoutes
{
    public static HttpRouter MapSampleRoutes(this HttpRouter router) => router
        .MapGet("/", (req, res, ct) =>
        {
            res.ContentType = "text/plain";
            res.Write("hello"u8);
            return default;
        })
        .MapGet("/items/{id}", (req, res, ct) =>
        {
            res.Write("item "u8);
            res.Write(req.GetRouteValue("id"));
            return default;
        });
}
