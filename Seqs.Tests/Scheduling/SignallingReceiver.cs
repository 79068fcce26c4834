using Seqs.Hal;
using Seqs.Scheduling;

namespace Seqs.Tests.Scheduling;

/// <summary>A participant that drains its NIC, counts turns, and completes <see cref="FirstFrame"/> on the first frame.</summary>
internal sealed class SignallingReceiver(IEthernetNic nic) : ILoopParticipant
{
    private readonly byte[] _buffer = new byte[nic.MaxFrameSize];
    private int _turns;

    public TaskCompletionSource<bool> FirstFrame { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Turns => Volatile.Read(ref _turns);

    public int Receive(int maxFrames)
    {
        Interlocked.Increment(ref _turns);
        int taken = 0;
        while (taken < maxFrames && nic.TryReceive(_buffer, out _))
            taken++;
        if (taken > 0)
            FirstFrame.TrySetResult(true);
        return taken;
    }

    public void Transmit()
    {
    }

    public void ArmWakeUp(Action wakeUp) => nic.ArmWakeUp(wakeUp);
}
