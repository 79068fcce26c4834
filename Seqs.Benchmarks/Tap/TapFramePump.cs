using System.Diagnostics;
using System.Globalization;
using Seqs.Device.HostNics;
using Seqs.Wire;

namespace Seqs.Benchmarks.Tap;

/// <summary>
/// The ceiling of the TAP path for any userspace stack: reads frames from a TAP as fast as the kernel delivers
/// them (non-blocking reads in a tight loop, no poll per frame), or writes full-size UDP frames into it as fast as
/// the kernel takes them. Prints frames per second and Gbit/s of frames and of UDP payload.
/// <code>tap-pump receive|transmit TAP-NAME SECONDS [DESTINATION-MAC DESTINATION-IP SOURCE-IP]</code>
/// </summary>
internal static class TapFramePump
{
    private const int FrameLength = 1514;
    private const int UdpPayloadLength = FrameLength - 14 - 20 - 8;

    public static int Run(string[] args)
    {
        if (args.Length < 3 || (args[0] == "transmit" && args.Length < 6))
        {
            Console.Error.WriteLine("usage: tap-pump receive TAP SECONDS | tap-pump transmit TAP SECONDS DESTINATION-MAC DESTINATION-IP SOURCE-IP");
            return 2;
        }
        using TapNic tap = TapNic.Open(args[1]);
        var duration = TimeSpan.FromSeconds(double.Parse(args[2], CultureInfo.InvariantCulture));
        (long frames, long bytes) = args[0] == "receive"
            ? Receive(tap, duration)
            : Transmit(tap, duration, MacAddress.Parse(args[3]), Ipv4Address.Parse(args[4]), Ipv4Address.Parse(args[5]));
        double seconds = duration.TotalSeconds;
        long payload = bytes - frames * (FrameLength - UdpPayloadLength);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{args[0]}: {frames / seconds:F0} frames/s, {bytes * 8 / seconds / 1e9:F2} Gbit/s of frames, {payload * 8 / seconds / 1e9:F2} Gbit/s of UDP payload"));
        return 0;
    }

    private static (long Frames, long Bytes) Receive(TapNic tap, TimeSpan duration)
    {
        byte[] buffer = new byte[FrameLength];
        long frames = 0, bytes = 0;
        // The clock starts at the first frame, so the time the sender takes to start is not counted.
        while (!tap.TryReceive(buffer, out _))
            Thread.SpinWait(1);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 256; i++)
            {
                if (tap.TryReceive(buffer, out int length))
                {
                    frames++;
                    bytes += length;
                }
            }
        }
        return (frames, bytes);
    }

    private static (long Frames, long Bytes) Transmit(TapNic tap, TimeSpan duration, MacAddress destinationMac, Ipv4Address destination, Ipv4Address source)
    {
        byte[] frame = new byte[FrameLength];
        int offset = EthernetFrame.WriteHeader(frame, destinationMac, tap.MacAddress, EtherType.Ipv4);
        // Discard (RFC 863) port: the kernel has no listener there and drops the datagrams after the UDP checksum.
        UdpDatagram.WriteHeader(frame.AsSpan(offset + Ipv4Packet.MinHeaderLength), 9, 9, UdpPayloadLength, source, destination);
        Ipv4Packet.WriteHeader(frame.AsSpan(offset), source, destination, IpProtocol.Udp, 8 + UdpPayloadLength, 1, 64, dontFragment: true);
        long frames = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 256; i++)
            {
                if (tap.TryTransmit(frame))
                    frames++;
            }
        }
        return (frames, frames * FrameLength);
    }
}
