using Seqs.Hal;
using Seqs.Scheduling;
using Seqs.Wire;

namespace Seqs.Tests.Simulation;

/// <summary>A loop participant that counts what it receives and sends each frame back with the addresses swapped.</summary>
internal sealed class EchoResponder : ILoopParticipant
{
    private readonly NetLoop _loop;
    private readonly IEthernetNic _nic;
    private readonly Queue<byte[]> _replies = new();
    private readonly byte[] _buffer;

    public EchoResponder(NetLoop loop, IEthernetNic nic)
    {
        _loop = loop;
        _nic = nic;
        _buffer = new byte[nic.MaxFrameSize];
        loop.Attach(this);
    }

    public int ReceivedCount { get; private set; }

    /// <summary>(loop time, frame number) of each frame received, in order.</summary>
    public List<(TimeSpan Time, int Number)> Received { get; } = [];

    public int Receive(int maxFrames)
    {
        int taken = 0;
        while (taken < maxFrames && _nic.TryReceive(_buffer, out int length))
        {
            taken++;
            ReceivedCount++;
            byte[] reply = _buffer.AsSpan(0, length).ToArray();
            Received.Add((_loop.Now, NumberedFrame.ReadNumber(reply)));
            MacAddress.Read(_buffer.AsSpan(6)).Write(reply);
            _nic.MacAddress.Write(reply.AsSpan(6));
            _replies.Enqueue(reply);
        }
        return taken;
    }

    public void Transmit()
    {
        while (_replies.Count > 0 && _nic.TryTransmit(_replies.Peek()))
            _replies.Dequeue();
    }

    public void ArmWakeUp(Action wakeUp) => _nic.ArmWakeUp(wakeUp);
}
