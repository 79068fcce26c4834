namespace Seqs.Simulation;

/// <summary>A <see cref="VirtualSwitch"/> port with its cable: frames from the NIC reach the switch through here.</summary>
internal sealed class SwitchPort : IFrameSink
{
    private readonly VirtualSwitch _switch;

    public SwitchPort(WireEventQueue events, VirtualSwitch owner, int index, VirtualNic nic, LinkFaults faults)
    {
        _switch = owner;
        Index = index;
        Nic = nic;
        ToSwitch = new LinkChannel(events, faults, direction: 0, destination: this, sender: nic);
        FromSwitch = new LinkChannel(events, faults, direction: 1, destination: nic, sender: null);
    }

    public int Index { get; }

    public VirtualNic Nic { get; }

    public LinkChannel ToSwitch { get; }

    public LinkChannel FromSwitch { get; }

    public void Accept(ReadOnlySpan<byte> frame) => _switch.Forward(Index, frame);
}
