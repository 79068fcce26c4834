namespace Seqs.Simulation;

/// <summary>A point-to-point cable between two <see cref="VirtualNic"/>s, with faults per direction.</summary>
public sealed class VirtualLink
{
    internal VirtualLink(WireEventQueue events, VirtualNic a, VirtualNic b, LinkFaults aToB, LinkFaults bToA)
    {
        A = a;
        B = b;
        AToB = new LinkChannel(events, aToB, direction: 0, destination: b, sender: a);
        BToA = new LinkChannel(events, bToA, direction: 1, destination: a, sender: b);
        a.Attach(AToB);
        b.Attach(BToA);
    }

    public VirtualNic A { get; }

    public VirtualNic B { get; }

    /// <summary>Frames sent by <see cref="A"/>.</summary>
    public LinkChannel AToB { get; }

    /// <summary>Frames sent by <see cref="B"/>.</summary>
    public LinkChannel BToA { get; }

    /// <summary>Plugs or unplugs the cable: both NICs see their link change.</summary>
    public void SetLinkUp(bool up)
    {
        A.SetLinkUp(up);
        B.SetLinkUp(up);
    }
}
