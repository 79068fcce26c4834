namespace Seqs.Http;

/// <summary>
/// Serves one routed request on the stack's loop. The request and response objects belong to the connection and
/// are reused for its next request: do not keep them (or spans from them) after the returned task completes.
/// A handler that finishes synchronously should return <c>default</c>, which allocates nothing.
/// </summary>
public delegate ValueTask HttpRequestHandler(HttpRequest request, HttpResponse response, CancellationToken cancellationToken);
