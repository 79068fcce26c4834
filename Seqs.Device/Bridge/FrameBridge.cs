using Seqs.Hal;

namespace Seqs.Device.Bridge;

/// <summary>
/// Joins two NICs as a two-port repeater: every frame one receives, the other transmits, unchanged. One thread pumps
/// both directions and sleeps on the NICs' one-shot wake-ups when neither has anything to move. A frame the far side
/// has no room for is held, not dropped, and holds back its direction until it is sent.
/// </summary>
internal sealed class FrameBridge(IEthernetNic first, IEthernetNic second)
{
    private readonly Direction _firstToSecond = new(first, second);
    private readonly Direction _secondToFirst = new(second, first);

    public long FirstToSecondFrames => Interlocked.Read(ref _firstToSecond.Frames);

    public long SecondToFirstFrames => Interlocked.Read(ref _secondToFirst.Frames);

    /// <summary>Pumps until <paramref name="cancellationToken"/> is cancelled (true) or a link goes down (false).</summary>
    public bool Run(CancellationToken cancellationToken)
    {
        using var wake = new AutoResetEvent(false);
        Action wakeUp = () => wake.Set();
        using CancellationTokenRegistration stop = cancellationToken.Register(wakeUp);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!first.IsLinkUp || !second.IsLinkUp)
                return false;
            bool moved = _firstToSecond.Pump() | _secondToFirst.Pump();
            if (moved)
                continue;
            first.ArmWakeUp(wakeUp);
            second.ArmWakeUp(wakeUp);
            wake.WaitOne();
        }
        return true;
    }

    private sealed class Direction(IEthernetNic from, IEthernetNic to)
    {
        private const int FramesPerPump = 16;

        private readonly byte[] _frame = new byte[from.MaxReceiveFrameSize];
        private int _heldLength;

        public long Frames;

        /// <summary>Sends a held frame, then up to <see cref="FramesPerPump"/> more; true when any frame moved.</summary>
        public bool Pump()
        {
            bool moved = false;
            for (int i = 0; i < FramesPerPump; i++)
            {
                if (_heldLength == 0 && !from.TryReceive(_frame, out _heldLength))
                    return moved;
                if (!to.TryTransmit(_frame.AsSpan(0, _heldLength)))
                    return moved;
                _heldLength = 0;
                Interlocked.Increment(ref Frames);
                moved = true;
            }
            return moved;
        }
    }
}
