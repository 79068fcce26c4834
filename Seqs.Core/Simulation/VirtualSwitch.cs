using Seqs.Wire;

namespace Seqs.Simulation;

/// <summary>
/// A store-and-forward learning Ethernet switch (IEEE 802.1D transparent bridging, without spanning tree). It
/// learns each unicast source address on the port it arrived on, forwards unicast to the learned port (dropping
/// frames for the port they came from), and floods unknown unicast, broadcast and multicast to every other
/// connected port. The address table holds at most <see cref="MacTableCapacity"/> entries; an entry not refreshed
/// for <see cref="AgingTime"/> is forgotten, and a full table learns nothing new (so unknown addresses flood), as a
/// switch under a table-overflow attack does. Forwarding takes no time; each port's cable may add faults.
/// </summary>
public sealed class VirtualSwitch
{
    public const int DefaultMacTableCapacity = 1024;

    /// <summary>IEEE 802.1D-2004 §7.9.2: the recommended ageing time is 300 s.</summary>
    public static readonly TimeSpan DefaultAgingTime = TimeSpan.FromSeconds(300);

    /// <summary>Destination and source MAC addresses and the EtherType.</summary>
    private const int EthernetHeaderLength = 14;

    private readonly WireEventQueue _events;
    private readonly SwitchPort?[] _ports;
    private readonly Dictionary<MacAddress, (int Port, TimeSpan LastSeen)> _table = [];
    private readonly List<MacAddress> _expired = [];

    internal VirtualSwitch(WireEventQueue events, int portCount, int macTableCapacity, TimeSpan agingTime)
    {
        if (portCount < 2)
            throw new ArgumentOutOfRangeException(nameof(portCount), portCount, "A switch needs at least two ports.");
        if (macTableCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(macTableCapacity), macTableCapacity, "The address table must hold at least one entry.");
        if (agingTime <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(agingTime), agingTime, "The ageing time must be positive.");
        _events = events;
        _ports = new SwitchPort?[portCount];
        MacTableCapacity = macTableCapacity;
        AgingTime = agingTime;
    }

    public int PortCount => _ports.Length;

    public int MacTableCapacity { get; }

    public TimeSpan AgingTime { get; }

    /// <summary>Addresses in the table now, expired ones included until they are looked up or swept.</summary>
    public int LearnedAddressCount => _table.Count;

    /// <summary>Unicast frames sent to the one port their destination was learned on.</summary>
    public long FramesForwarded { get; private set; }

    /// <summary>Frames sent to every other port (counted once per frame).</summary>
    public long FramesFlooded { get; private set; }

    /// <summary>Frames dropped because their destination was learned on the port they arrived on.</summary>
    public long FramesFiltered { get; private set; }

    /// <summary>Frames too short for an Ethernet header.</summary>
    public long FramesMalformed { get; private set; }

    /// <summary>Plugs <paramref name="nic"/> into <paramref name="port"/> (0-based) with a cable that applies <paramref name="faults"/> both ways.</summary>
    public void Connect(int port, VirtualNic nic, LinkFaults? faults = null)
    {
        if (nic is null)
            throw new ArgumentNullException(nameof(nic));
        if ((uint)port >= (uint)_ports.Length) // the unsigned compare rejects negative ports too
            throw new ArgumentOutOfRangeException(nameof(port), port, $"The switch has ports 0 to {_ports.Length - 1}.");
        if (_ports[port] is not null)
            throw new InvalidOperationException($"Port {port} already has a NIC.");
        if (nic.IsConnected)
            throw new InvalidOperationException($"NIC {nic.MacAddress} is already connected; a NIC takes one cable.");
        var switchPort = new SwitchPort(_events, this, port, nic, faults ?? LinkFaults.None);
        nic.Attach(switchPort.ToSwitch);
        _ports[port] = switchPort;
    }

    /// <summary>The cable direction from the NIC on <paramref name="port"/> into the switch.</summary>
    public LinkChannel ToSwitch(int port) => Port(port).ToSwitch;

    /// <summary>The cable direction from the switch out to the NIC on <paramref name="port"/>.</summary>
    public LinkChannel FromSwitch(int port) => Port(port).FromSwitch;

    /// <summary>Looks <paramref name="address"/> up in the table; false if it was never learned or has aged out.</summary>
    public bool TryGetPort(MacAddress address, out int port) => TryLookUp(address, _events.Clock.Elapsed, out port);

    internal void Forward(int ingress, ReadOnlySpan<byte> frame)
    {
        if (frame.Length < EthernetHeaderLength)
        {
            FramesMalformed++;
            return;
        }
        TimeSpan now = _events.Clock.Elapsed;
        MacAddress destination = MacAddress.Read(frame);
        MacAddress source = MacAddress.Read(frame[MacAddress.Length..]);
        if (source.IsUnicast)
            Learn(source, ingress, now);

        if (destination.IsUnicast && TryLookUp(destination, now, out int egress))
        {
            if (egress == ingress)
            {
                FramesFiltered++;
                return;
            }
            FramesForwarded++;
            _ports[egress]!.FromSwitch.Send(frame);
            return;
        }

        FramesFlooded++;
        foreach (SwitchPort? port in _ports)
        {
            if (port is not null && port.Index != ingress)
                port.FromSwitch.Send(frame);
        }
    }

    private void Learn(MacAddress address, int port, TimeSpan now)
    {
        if (!_table.ContainsKey(address) && _table.Count >= MacTableCapacity)
        {
            SweepExpired(now);
            if (_table.Count >= MacTableCapacity)
                return;
        }
        _table[address] = (port, now);
    }

    private bool TryLookUp(MacAddress address, TimeSpan now, out int port)
    {
        if (_table.TryGetValue(address, out (int Port, TimeSpan LastSeen) entry))
        {
            if (now - entry.LastSeen < AgingTime)
            {
                port = entry.Port;
                return true;
            }
            _table.Remove(address);
        }
        port = -1;
        return false;
    }

    private void SweepExpired(TimeSpan now)
    {
        foreach (KeyValuePair<MacAddress, (int Port, TimeSpan LastSeen)> entry in _table)
        {
            if (now - entry.Value.LastSeen >= AgingTime)
                _expired.Add(entry.Key);
        }
        foreach (MacAddress address in _expired)
            _table.Remove(address);
        _expired.Clear();
    }

    private SwitchPort Port(int port)
    {
        if ((uint)port >= (uint)_ports.Length)
            throw new ArgumentOutOfRangeException(nameof(port), port, $"The switch has ports 0 to {_ports.Length - 1}.");
        return _ports[port] ?? throw new InvalidOperationException($"Port {port} has no NIC.");
    }
}
