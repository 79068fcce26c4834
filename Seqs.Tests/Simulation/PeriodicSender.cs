using Seqs.Hal;
using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Tests.Simulation;

/// <summary>
/// A loop participant that sends a numbered frame every <c>period</c> from a <see cref="NetTimer"/>, keeping frames
/// the NIC pushes back, and records every frame it receives with the loop time at which it took it.
/// </summary>
internal sealed class PeriodicSender : ILoopParticipant
{
    private readonly NetLoop _loop;
    private readonly IEthernetNic _nic;
    private readonly MacAddress _destination;
    private readonly TimeSpan _period;
    private readonly int _frameSize;
    private readonly int _count;
    private readonly NetTimer _timer;
    private readonly byte[] _buffer;
    private int _nextToQueue;
    private int _nextToSend;

    public PeriodicSender(NetLoop loop, IEthernetNic nic, MacAddress destination, TimeSpan period, int frameSize = 64, int count = int.MaxValue)
    {
        _loop = loop;
        _nic = nic;
        _destination = destination;
        _period = period;
        _frameSize = frameSize;
        _count = count;
        _buffer = new byte[nic.MaxFrameSize];
        _timer = loop.CreateTimer(OnTimer);
        loop.Attach(this);
    }

    public int Sent => _nextToSend;

    /// <summary>(loop time, frame number) of each frame received, in order.</summary>
    public List<(TimeSpan Time, int Number)> Received { get; } = [];

    /// <summary>Loop time at which each frame number was handed to the NIC.</summary>
    public Dictionary<int, TimeSpan> SendTimes { get; } = [];

    public void Start(TimeSpan firstAt) => _timer.Schedule(firstAt);

    public int Receive(int maxFrames)
    {
        int taken = 0;
        while (taken < maxFrames && _nic.TryReceive(_buffer, out int length))
        {
            taken++;
            Received.Add((_loop.Now, NumberedFrame.ReadNumber(_buffer.AsSpan(0, length))));
        }
        return taken;
    }

    public void Transmit()
    {
        while (_nextToSend < _nextToQueue)
        {
            Span<byte> frame = _buffer.AsSpan(0, _frameSize);
            NumberedFrame.Write(frame, _destination, _nic.MacAddress, _nextToSend);
            if (!_nic.TryTransmit(frame))
                return;
            SendTimes[_nextToSend] = _loop.Now;
            _nextToSend++;
        }
    }

    public void ArmWakeUp(Action wakeUp) => _nic.ArmWakeUp(wakeUp);

    private void OnTimer()
    {
        _nextToQueue++;
        if (_nextToQueue < _count)
            _timer.Schedule(_timer.Deadline + _period);
    }
}
