using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Seqs.Tests.Interop;

/// <summary>
/// The status page in a real browser: Debian's Chromium, headless, driven over the Chrome DevTools Protocol, loads
/// the page from the simulated network's forwarded port, renders it with its script, and its LED button switches
/// the LED. The screenshot is kept as a test attachment.
/// </summary>
public sealed partial class DeviceProcessTests
{
    [Test]
    [Category("Interop")]
    public async Task StatusPage_InHeadlessChromium_ShowsTheDevice_AndItsButtonSwitchesTheLed()
    {
        InteropEnvironment.RequireTools("chromium");
        using BackgroundCommand device = StartDevice([], "--forward", "127.0.0.1:0");
        Match url = null!;
        Assert.That(StackOnTap.WaitFor(() => device.HasExited || (url = UrlLine().Match(device.Output)).Success, ServePatience) && !device.HasExited, Is.True, device.Output);
        string profile = Directory.CreateTempSubdirectory("seqs-chromium-").FullName;
        try
        {
            using BackgroundCommand browser = BackgroundCommand.Start("chromium",
                ["--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=420,900", url.Groups["url"].Value]);
            Match devTools = null!;
            Assert.That(StackOnTap.WaitFor(() => browser.HasExited || (devTools = DevToolsLine().Match(browser.Output)).Success, StartPatience) && !browser.HasExited, Is.True, browser.Output);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string pageSocket = await PageSocketAsync(http, devTools.Groups["port"].Value);
            using var cdp = new ClientWebSocket();
            await cdp.ConnectAsync(new Uri(pageSocket), CancellationToken.None);
            var session = new DevToolsSession(cdp);

            string address = "";
            bool rendered = await WaitForAsync(async () => (address = await session.EvaluateAsync("document.getElementById('address').textContent")).StartsWith("192.168.50.", StringComparison.Ordinal));
            Assert.That(rendered, Is.True, $"address shown: '{address}'");
            Assert.That(await session.EvaluateAsync("document.getElementById('mac').textContent"), Is.EqualTo("02:53:45:51:53:02"));
            Assert.That(await session.EvaluateAsync("document.getElementById('led').textContent"), Is.EqualTo("off (simulated)"));

            // The page asks for the token once and keeps it in sessionStorage; the test puts it there as a person would.
            await session.EvaluateAsync($"sessionStorage.setItem('seqs-token', '{AccessToken}'); document.getElementById('ledButton').click(); 'clicked'");

            var status = new Uri(new Uri(url.Groups["url"].Value), "/api/status");
            bool switched = await WaitForAsync(async () => JsonNode.Parse(await http.GetStringAsync(status))!["ledOn"]!.GetValue<bool>());
            Assert.That(switched, Is.True, device.Output);
            Assert.That(await WaitForAsync(async () => await session.EvaluateAsync("document.getElementById('led').textContent") == "on (simulated)"), Is.True, "the page shows the LED on");
            string screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "device-status-page.png");
            JsonNode shot = await session.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
            await File.WriteAllBytesAsync(screenshot, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
            TestContext.AddTestAttachment(screenshot, "the status page in headless Chromium");
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
        Signal(device, "INT");
        AssertStoppedCleanly(device);
    }

    /// <summary>The DevTools WebSocket of the browser's one page, from its <c>/json/list</c>.</summary>
    private static async Task<string> PageSocketAsync(HttpClient http, string port)
    {
        JsonArray targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")))!.AsArray();
        return targets.First(t => t!["type"]!.GetValue<string>() == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + ServePatience;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return true;
            await Task.Delay(200);
        }
        return false;
    }

    [GeneratedRegex(@"DevTools listening on ws://127\.0\.0\.1:(?<port>\d+)/")]
    private static partial Regex DevToolsLine();

    /// <summary>Chrome DevTools Protocol commands over one WebSocket, one at a time: a command, then its reply by id.</summary>
    private sealed class DevToolsSession(ClientWebSocket socket)
    {
        private int _id;

        public async Task<string> EvaluateAsync(string expression)
        {
            JsonNode result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
            return result["result"]?["value"]?.ToString() ?? "";
        }

        public async Task<JsonNode> SendAsync(string method, JsonObject parameters)
        {
            int id = ++_id;
            var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
            await socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                JsonNode message = await ReceiveAsync(timeout.Token);
                if (message["id"]?.GetValue<int>() == id)
                    return message["result"] ?? throw new InvalidOperationException($"{method} failed: {message.ToJsonString()}");
            }
        }

        private async Task<JsonNode> ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(buffer, cancellationToken);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            return JsonNode.Parse(message.ToArray())!;
        }
    }
}
