using Seqs.KestrelReference;

// Usage: KestrelReference <url>, e.g. http://127.0.0.1:5080. Serves GET /api/status with the document the device
// serves at its /api/status (StatusDocument), built per request as the device builds it.
string url = args.Length > 0 ? args[0] : "http://127.0.0.1:5080";
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(url);
WebApplication app = builder.Build();
var status = new StatusDocument();
app.MapGet("/api/status", (HttpContext context) => status.WriteAsync(context.Response));
app.MapGet("/", () => "Kestrel reference for the Seqs device's /api/status");
Console.WriteLine($"Kestrel reference listening on {url}");
app.Run();
