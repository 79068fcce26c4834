using System.Net;
using MQTTnet.Channel;
using Seqs.Device.Diagnostics;
using Seqs.Stack;
using Seqs.Tcp;
using Seqs.Tls;
using Seqs.Wire;

namespace Seqs.Device.Mqtt;

/// <summary>
/// Hands MQTTnet each connection to the broker through the stack: a <see cref="TcpConnection"/> to the broker's
/// address (a name is resolved by the stack's DNS), or with <paramref name="tls"/> a <see cref="TlsStream"/> over
/// one, which checks the broker's certificate and keeps the crypto off the stack's loop. MQTTnet's own TLS stays off
/// (no <c>WithTlsOptions</c>), so it uses the stream as it is; its contract asks a provider not to wrap TLS only
/// because it would otherwise wrap it a second time.
/// <para>
/// Either way MQTTnet writes through an <see cref="OffLoopTransport"/>: each packet it writes (in one or two writes)
/// is copied into a bounded buffer and the write completes, and the loop sends what gathered there while it was busy,
/// several packets to a segment. Before, every write waited for its own trip to the loop and back and left in a
/// segment of its own, which held QoS 0 publishing to an eighth of mosquitto_pub's rate. NoDelay stays on, so a
/// lone packet (a QoS 1 publish waiting for its PUBACK) still leaves at once.
/// </para>
/// </summary>
internal sealed class StackStreamProvider(NetStack stack, TlsClientOptions? tls) : IMqttClientStreamProvider
{
    /// <summary>
    /// MQTT's packets are small and each waits for an answer (PUBACK, SUBACK, PINGRESP); with Nagle's algorithm on,
    /// a packet MQTTnet writes in two parts would wait for the ACK of the first, which a Linux peer delays 40 ms
    /// (measured: 45 ms per QoS 1 publish). MQTTnet sets TCP_NODELAY on its own sockets for the same reason. Give the
    /// TLS options these too (<see cref="TlsClientOptions.Tcp"/>). The congestion control is the stack's.
    /// </summary>
    public static TcpConnectionOptions TcpOptions(NetStack stack) => new() { NoDelay = true, CongestionControl = stack.Tcp.DefaultOptions.CongestionControl };

    public Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        (string host, int port) = brokerEndPoint switch
        {
            DnsEndPoint named => (named.Host, named.Port),
            IPEndPoint numbered => (numbered.Address.ToString(), numbered.Port),
            _ => throw new ArgumentException($"MQTT over the stack needs a host and port, not {brokerEndPoint}.", nameof(brokerEndPoint)),
        };
        return stack.Loop.InvokeAsync(() => tls is null ? ConnectPlainAsync(host, port, cancellationToken) : ConnectTlsAsync(host, port, tls, cancellationToken));
    }

    private async Task<Stream> ConnectPlainAsync(string host, int port, CancellationToken cancellationToken)
    {
        Ipv4Address address = await HostAddress.ResolveAsync(stack, host, cancellationToken).ConfigureAwait(true);
        var connection = new TcpConnection(stack.Tcp, TcpOptions(stack));
        try
        {
            await connection.ConnectAsync(new Ipv4EndPoint(address, (ushort)port), cancellationToken).ConfigureAwait(true);
            return new OffLoopTransport(connection, ownsConnection: true);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<Stream> ConnectTlsAsync(string host, int port, TlsClientOptions options, CancellationToken cancellationToken) =>
        await TlsConnection.ConnectAsync(stack, host, port, options, cancellationToken).ConfigureAwait(true);
}
