using Seqs.Services;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Simulation;

/// <summary>
/// An NTP server for simulations whose clock is the simulation's plus <see cref="Offset"/>. It can hold replies
/// back (making their round trip longer without saying so), lie in any header field, or send a kiss.
/// </summary>
public sealed class SimulatedNtpServer(NetStack stack) : UdpServer(stack, NtpPacket.Port)
{
    public TimeSpan Offset { get; set; }

    /// <summary>How long to hold the reply to each request in turn (cycled); T2 and T3 still say it was immediate.</summary>
    public TimeSpan[] Holds { get; set; } = [];

    public byte Stratum { get; set; } = 2;

    public NtpLeapIndicator Leap { get; set; } = NtpLeapIndicator.NoWarning;

    public NtpMode Mode { get; set; } = NtpMode.Server;

    public NtpKissCode? Kiss { get; set; }

    /// <summary>Echo an origin timestamp other than the request's transmit timestamp.</summary>
    public bool WrongOrigin { get; set; }

    public bool ZeroTransmit { get; set; }

    public uint RootDispersion { get; set; } = 0x0100;

    public int Requests { get; private set; }

    /// <summary>Keep <see cref="Transmits"/>; off for allocation measurements, where the list's growth would count.</summary>
    public bool RecordTransmits { get; set; } = true;

    /// <summary>Requests that arrived, by their transmit timestamp.</summary>
    public List<NtpTimestamp> Transmits { get; } = [];

    /// <summary>The source ports of the requests in <see cref="Transmits"/>.</summary>
    public List<ushort> SourcePorts { get; } = [];

    protected override void OnDatagram(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender)
    {
        if (!NtpPacket.TryParse(datagram, out NtpPacket request, out _) || request.Mode != NtpMode.Client)
            return;
        TimeSpan hold = Holds.Length == 0 ? TimeSpan.Zero : Holds[Requests % Holds.Length];
        Requests++;
        if (RecordTransmits)
        {
            Transmits.Add(request.TransmitTimestamp);
            SourcePorts.Add(sender.Port);
        }
        NtpTimestamp now = NtpTimestamp.FromDateTimeOffset(Stack.Loop.TimeProvider.GetUtcNow() + Offset);
        Span<byte> reply = stackalloc byte[NtpPacket.Length];
        var header = new NtpPacketHeader(Leap, 4, Mode, Kiss is null ? Stratum : (byte)0, 6, -20, 0x0100, RootDispersion, Kiss is { } code ? (uint)code : 0x7F000001);
        NtpTimestamp origin = WrongOrigin ? new NtpTimestamp(request.TransmitTimestamp.Value + 1) : request.TransmitTimestamp;
        NtpPacket.Write(reply, header, now, origin, now, ZeroTransmit ? NtpTimestamp.Zero : now);
        if (hold == TimeSpan.Zero)
        {
            Socket.SendTo(reply, sender);
            return;
        }
        SendLater(reply.ToArray(), sender, hold);
    }

    // In a method of its own: a lambda capturing OnDatagram's parameters would allocate its closure on every call.
    private void SendLater(byte[] reply, Ipv4EndPoint sender, TimeSpan hold) =>
        Stack.Loop.CreateTimer(() => Socket.SendTo(reply, sender)).Schedule(Stack.Loop.Now + hold);
}
