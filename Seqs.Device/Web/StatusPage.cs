using System.Text;

namespace Seqs.Device.Web;

/// <summary>
/// The status page: a static document whose script shows <c>/api/status</c> and fetches it again every two
/// seconds, with the traffic chart (<c>/api/traffic.svg</c>). The server puts the current chart and status into the
/// page, so the page reads right before the first fetch and without script (<see cref="Head"/>, the chart's SVG,
/// <see cref="Middle"/>, the status as JSON, <see cref="Tail"/>).
/// </summary>
internal static class StatusPage
{
    /// <summary>Everything up to the traffic chart, which follows as SVG (or nothing).</summary>
    public static ReadOnlySpan<byte> Head => s_head;

    /// <summary>Everything after the chart up to the first status, which follows as JSON (or <c>null</c>).</summary>
    public static ReadOnlySpan<byte> Middle => s_middle;

    public static ReadOnlySpan<byte> Tail => ")</script></body></html>\n"u8;

    private static readonly byte[] s_head = Encoding.UTF8.GetBytes("""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Seqs device</title>
        <style>
        body { font: 16px/1.4 system-ui, sans-serif; margin: 0 auto; max-width: 40rem; padding: 1rem; color: #222; }
        h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
        table { border-collapse: collapse; width: 100%; }
        th { text-align: left; font-weight: 600; padding: .35rem .5rem .35rem 0; vertical-align: top; width: 38%; color: #555; }
        td { padding: .35rem 0; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
        tr + tr { border-top: 1px solid #eee; }
        button { font: inherit; padding: .6rem 1.2rem; margin-top: 1rem; border-radius: .4rem; border: 1px solid #888; background: #f4f4f4; }
        .on { background: #ffd54f; }
        #note { color: #a00; min-height: 1.4em; }
        #chart svg { display: block; width: 100%; height: auto; }
        </style></head>
        <body><h1 id="name">Seqs device</h1>
        <table>
        <tr><th>MAC</th><td id="mac"></td></tr>
        <tr><th>Address</th><td id="address"></td></tr>
        <tr><th>HTTPS</th><td id="https"></td></tr>
        <tr><th>MQTT</th><td id="mqtt"></td></tr>
        <tr><th>Lease</th><td id="lease"></td></tr>
        <tr><th>Gateway</th><td id="gateway"></td></tr>
        <tr><th>DNS</th><td id="dns"></td></tr>
        <tr><th>Link</th><td id="link"></td></tr>
        <tr id="wifiRow" hidden><th>Wi-Fi signal</th><td id="wifi"></td></tr>
        <tr><th>Time</th><td id="time"></td></tr>
        <tr><th>Up for</th><td id="uptime"></td></tr>
        <tr><th>Traffic</th><td id="traffic"></td></tr>
        <tr><td colspan="2" id="chart">
        """);

    private static readonly byte[] s_middle = Encoding.UTF8.GetBytes("""
        </td></tr>
        <tr><th>Connections</th><td id="connections"></td></tr>
        <tr><th>NIC</th><td id="nic"></td></tr>
        <tr><th>LED</th><td id="led"></td></tr>
        </table>
        <button id="ledButton" type="button">Switch the LED</button>
        <p id="note"></p>
        <p><a href="/api/status">/api/status</a> · <a href="/api/stats">/api/stats</a></p>
        <script>
        const $ = id => document.getElementById(id);
        const tokenKey = 'seqs-token';
        let ledOn = false;
        function duration(s) {
          const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
          return (d ? d + ' d ' : '') + (d || h ? h + ' h ' : '') + (d || h || m ? m + ' min ' : '') + s % 60 + ' s';
        }
        function signalQuality(dbm) {
          return dbm >= -55 ? 'excellent' : dbm >= -65 ? 'good' : dbm >= -75 ? 'fair' : 'weak';
        }
        function show(s) {
          if (!s) return;
          $('name').textContent = s.name;
          $('mac').textContent = s.mac;
          $('address').textContent = s.address ? s.address + '/' + s.prefixLength : 'none yet';
          const h = s.https;
          $('https').textContent = !h ? 'off' : 'on, port ' + h.port + (h.certificateFingerprint
            ? ', certificate SHA-256 ' + h.certificateFingerprint + ', valid until ' + new Date(h.certificateNotAfter).toISOString().slice(0, 10)
            : ', certificate made once the device has its address');
          const m = s.mqtt;
          $('mqtt').textContent = !m ? 'off' : m.state + ', ' + m.broker + ', ' + m.messagesPublished + ' messages out, ' + m.messagesReceived + ' in, '
            + m.reconnects + ' reconnects' + (m.lastError ? ', last error: ' + m.lastError : '');
          $('lease').textContent = s.lease ? 'from ' + s.lease.server + ', ' + duration(s.lease.remainingSeconds) + ' left of ' + duration(s.lease.leaseSeconds) : 'static or none';
          $('gateway').textContent = s.gateway || 'none';
          $('dns').textContent = s.dnsServers.length ? s.dnsServers.join(', ') : 'none';
          $('link').textContent = s.linkUp ? 'up' : 'down';
          $('wifiRow').hidden = s.nic.rssiDbm == null;
          $('wifi').textContent = s.nic.rssiDbm == null ? '' : s.nic.rssiDbm + ' dBm (' + signalQuality(s.nic.rssiDbm) + ')';
          $('time').textContent = new Date(s.time).toISOString().replace('T', ' ').slice(0, 19) + ' UTC, ' +
            (s.timeSynchronized ? 'synchronised with ' + s.timeServer + ' (offset ' + s.timeOffsetMs.toFixed(1) + ' ms)' : 'not synchronised' + (s.timeServer ? ' yet with ' + s.timeServer : ''));
          $('uptime').textContent = duration(s.uptimeSeconds);
          const c = s.counters;
          $('traffic').textContent = c.framesReceived + ' frames (' + c.bytesReceived + ' B) in, ' + c.framesTransmitted + ' (' + c.bytesTransmitted + ' B) out, ' + c.malformed + ' malformed dropped, ' + c.httpRequests + ' HTTP requests';
          $('connections').textContent = c.tcpConnections + ' TCP';
          $('nic').textContent = s.nic.description + ': ' + s.nic.framesReceived + ' frames in, ' + s.nic.framesTransmitted + ' out, ' + s.nic.receiveErrors + ' receive and ' + s.nic.transmitErrors + ' transmit errors';
          ledOn = s.ledOn;
          $('led').textContent = (s.ledOn ? 'on' : 'off') + ' (' + s.led + ')';
          $('ledButton').className = s.ledOn ? 'on' : '';
        }
        function authorization() {
          const token = sessionStorage.getItem(tokenKey);
          return token ? { Authorization: 'Bearer ' + token } : {};
        }
        function askForToken() {
          const token = prompt('Access token (the device printed it at its first start):');
          if (token) sessionStorage.setItem(tokenKey, token.trim());
          return !!token;
        }
        async function refresh() {
          try {
            const response = await fetch('/api/status', { headers: authorization() });
            if (response.status === 401) { $('note').textContent = 'The status needs the access token.'; return; }
            show(await response.json());
            const chart = await fetch('/api/traffic.svg', { headers: authorization() });
            if (chart.ok) $('chart').innerHTML = await chart.text();
            $('note').textContent = '';
          } catch (e) { $('note').textContent = 'The device does not answer.'; }
        }
        async function switchLed() {
          if (!sessionStorage.getItem(tokenKey) && !askForToken()) return;
          const response = await fetch('/api/led?on=' + !ledOn, { method: 'POST', headers: authorization() });
          if (response.status === 401) { sessionStorage.removeItem(tokenKey); $('note').textContent = 'Wrong access token; try again.'; return; }
          if (response.status === 429) { $('note').textContent = 'Too many wrong tokens; wait a little.'; return; }
          $('note').textContent = '';
          refresh();
        }
        $('ledButton').addEventListener('click', switchLed);
        setInterval(refresh, 2000);
        show(
        """);
}
