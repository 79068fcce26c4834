using Seqs.Dhcp;
using Seqs.Fuzz;
using Seqs.Mdns;
using Seqs.Tcp;

namespace Seqs.Tests.Fuzz;

/// <summary>The whole-stack fuzz target starts from the state the issue asks for; if setup drifted, fuzzing would test less.</summary>
public sealed class FuzzLanTests
{
    [Test]
    public void Device_IsMidLease_Announced_AndHasDataInFlightBothWays()
    {
        using var lan = new FuzzLan();

        TcpControlBlock device = lan.DeviceEnd!.Tcb!;
        TcpControlBlock neighbour = lan.NeighbourEnd!.Tcb!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lan.DhcpClient.State, Is.EqualTo(DhcpClientState.Bound));
            Assert.That(lan.DhcpClient.Lease!.Value.RenewAt, Is.GreaterThan(lan.Simulation.Now));
            Assert.That(lan.Mdns.State, Is.EqualTo(MdnsResponderState.Ready));
            Assert.That(device.State, Is.EqualTo(TcpState.Established));
            Assert.That(device.Readable, Is.GreaterThan(0), "the neighbour's data waits unread on the device");
            Assert.That(neighbour.Readable, Is.GreaterThan(0), "the device's data waits unread on the neighbour");
            Assert.That(device.AllAcknowledged, Is.False, "the device still has data to send");
            Assert.That(neighbour.AllAcknowledged, Is.False, "the neighbour still has data to send");
        }
    }

    [Test]
    public void StackTarget_RejectsAFrameHandlerFailure_AsAnInvariantViolation()
    {
        using var lan = new FuzzLan();
        var invariants = new StackInvariants(lan);
        lan.Device.Counters.InternalErrors++;

        Assert.Throws<InvariantViolation>(invariants.Check);
    }
}
