using System.Reflection;
using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>
/// What must hold of a <see cref="FuzzLan"/> device whatever arrives: no frame handler failed (the loop swallows
/// such failures, so they are looked for here), bounded tables stay within their bounds, counters only grow and add
/// up, and the data connection's buffers never hold more than their size.
/// </summary>
internal sealed class StackInvariants(FuzzLan lan)
{
    private readonly List<(object Counters, PropertyInfo Property, long Last)> _counters = Snapshot(
        lan.Device.Counters, lan.Device.Tcp.Counters, lan.DhcpClient.Counters, lan.Mdns.Counters, lan.HttpServer.Counters);

    public void Check()
    {
        Seqs.Stack.NetStackCounters device = lan.Device.Counters;
        lan.Failures.Check();
        InvariantViolation.Check(device.InternalErrors == 0, "no frame handler of the device threw");
        InvariantViolation.Check(lan.Mdns.FailedDatagrams == 0 && lan.DhcpServer.FailedDatagrams == 0, "no UDP service's datagram handler threw");
        InvariantViolation.Check(lan.Neighbour.Counters.InternalErrors == 0, "no frame handler of the neighbour threw");
        InvariantViolation.Check(lan.HttpServer.Counters.InternalErrors == 0, "the HTTP server had no internal error");
        CheckCountersGrow();
        long malformed = 0;
        foreach (WireRejection reason in Enum.GetValues<WireRejection>())
            malformed += device.MalformedBy(reason);
        InvariantViolation.Check(malformed == device.Malformed, "malformed frames by reason add up to the malformed count");
        InvariantViolation.Check(device.Malformed + device.NotForUs + device.VlanTagged + device.UnsupportedEtherType <= device.FramesReceived,
            "frames dropped at the Ethernet layer are at most the frames received");
        InvariantViolation.Check(device.FramesReceived <= lan.DeviceNic.FramesReceived, "the stack received no more frames than its NIC did");
        InvariantViolation.Check(lan.Device.Tcp.ConnectionCount <= FuzzLan.DeviceOptions.MaxTcpConnections, "TCP connections within MaxTcpConnections");
        InvariantViolation.Check(lan.Device.Tcp.TimeWaitCount <= FuzzLan.DeviceOptions.MaxTcpTimeWaits, "TIME-WAIT entries within MaxTcpTimeWaits");
        InvariantViolation.Check(lan.Device.ArpCacheCount <= FuzzLan.DeviceOptions.ArpCacheSize, "ARP entries within ArpCacheSize");
        InvariantViolation.Check(lan.HttpServer.Counters.ActiveConnections >= 0 && lan.HttpServer.Counters.ActiveConnections <= FuzzLan.HttpOptions.MaxConnections, "HTTP connections within MaxConnections");
        if (lan.DeviceEnd?.Tcb is { } tcb)
        {
            InvariantViolation.Check(tcb.Readable >= 0 && tcb.Readable <= FuzzLan.ConnectionOptions.ReceiveBufferSize, "the receive buffer holds at most its size");
            InvariantViolation.Check(tcb.WritableSpace >= 0 && tcb.WritableSpace <= FuzzLan.ConnectionOptions.SendBufferSize, "the send buffer's free space is within its size");
            int unacknowledged = tcb.SndNxt - tcb.SndUna;
            // SYN and FIN take a sequence number each but no buffer space.
            InvariantViolation.Check(unacknowledged >= 0 && unacknowledged <= FuzzLan.ConnectionOptions.SendBufferSize + 2, "SND.UNA =< SND.NXT, at most a send buffer apart");
        }
    }

    private void CheckCountersGrow()
    {
        for (int i = 0; i < _counters.Count; i++)
        {
            (object counters, PropertyInfo property, long last) = _counters[i];
            long now = Convert.ToInt64(property.GetValue(counters), System.Globalization.CultureInfo.InvariantCulture);
            InvariantViolation.Check(now >= last, $"{counters.GetType().Name}.{property.Name} never decreases");
            _counters[i] = (counters, property, now);
        }
    }

    /// <summary>Every counter (a long property) of the given objects, with its current value.</summary>
    private static List<(object, PropertyInfo, long)> Snapshot(params object[] counters) =>
        [.. counters.SelectMany(c => c.GetType().GetProperties()
            .Where(p => p.PropertyType == typeof(long))
            .Select(p => (c, p, (long)p.GetValue(c)!)))];
}
