using System.IO.Pipes;
using Seqs.Device.HostNics;
using Seqs.Wire;

namespace Seqs.Tests.Device;

/// <summary>
/// <see cref="SerialNic"/> on an in-process line (two anonymous pipes, one each way): what the peer writes is
/// received, what the stack sends arrives framed, damaged and oversize frames are counted, and a frame waiting
/// when the wake-up is armed fires it at once.
/// </summary>
[TestFixture]
public sealed class SerialNicTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly MacAddress Mac = MacAddress.Parse("02:53:45:51:5e:01");

    private AnonymousPipeServerStream _toNic = null!;
    private AnonymousPipeServerStream _fromNic = null!;
    private SerialNic _nic = null!;

    [SetUp]
    public void OpenLine()
    {
        _toNic = new AnonymousPipeServerStream(PipeDirection.Out);
        _fromNic = new AnonymousPipeServerStream(PipeDirection.In);
        var nicReads = new AnonymousPipeClientStream(PipeDirection.In, _toNic.ClientSafePipeHandle);
        var nicWrites = new AnonymousPipeClientStream(PipeDirection.Out, _fromNic.ClientSafePipeHandle);
        var line = new DuplexStream(nicReads, nicWrites);
        _nic = new SerialNic(line, line, "test line", Mac);
    }

    [TearDown]
    public void CloseLine()
    {
        // The peer hangs up first: the NIC's reader then sees the end of the line and its thread ends.
        _toNic.Dispose();
        _nic.Dispose();
        _fromNic.Dispose();
    }

    [Test]
    public void FrameFromThePeer_IsReceived_AndAWaitingFrameFiresTheWakeUpAtOnce()
    {
        byte[] frame = Frame(60, 0x11);
        SendFromPeer(frame);
        Assert.That(SpinWait.SpinUntil(() => _nic.ReceivedFrames == 1, Patience), Is.True);

        bool woken = false;
        _nic.ArmWakeUp(() => woken = true);
        Assert.That(woken, Is.True, "ArmWakeUp with a frame already waiting must fire at once");

        byte[] buffer = new byte[_nic.MaxFrameSize];
        Assert.That(_nic.TryReceive(buffer, out int length), Is.True);
        Assert.That(buffer[..length], Is.EqualTo(frame));
        Assert.That(_nic.TryReceive(buffer, out _), Is.False);
    }

    [Test]
    public void DamagedAndOversizeFrames_AreDroppedAndCounted_AndTheNextFrameIsReceived()
    {
        byte[] damaged = Encoded(Frame(100, 0x22));
        damaged[50] ^= 0x01;
        byte[] good = Frame(80, 0x33);
        _toNic.Write([.. damaged, .. Encoded(Frame(_nic.MaxFrameSize + 1, 0x44)), .. Encoded(good)]);
        _toNic.Flush();

        Assert.That(SpinWait.SpinUntil(() => _nic.ReceivedFrames == 1, Patience), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(_nic.CrcErrors, Is.EqualTo(1));
            Assert.That(_nic.OversizeFrames, Is.EqualTo(1));
        });
        byte[] buffer = new byte[_nic.MaxFrameSize];
        Assert.That(_nic.TryReceive(buffer, out int length), Is.True);
        Assert.That(buffer[..length], Is.EqualTo(good));
    }

    [Test]
    public void TransmittedFrame_ReachesThePeerSlipFramedWithItsCrc()
    {
        byte[] frame = [.. Frame(40, 0x55), SlipFrameEncoder.End, SlipFrameEncoder.Escape];
        Assert.That(_nic.TryTransmit(frame), Is.True);

        var decoder = new SlipFrameDecoder(_nic.MaxFrameSize);
        byte[] chunk = new byte[256];
        while (true)
        {
            int read = _fromNic.Read(chunk);
            Assert.That(read, Is.Positive, "the line ended before the frame");
            foreach (byte b in chunk.AsSpan(0, read))
            {
                if (decoder.Decode(b) != SlipDecodeResult.Frame)
                    continue;
                Assert.That(decoder.Frame.ToArray(), Is.EqualTo(frame));
                Assert.That(SpinWait.SpinUntil(() => _nic.TransmittedFrames == 1, Patience), Is.True);
                return;
            }
        }
    }

    [Test]
    public void PeerHangingUp_TakesTheLinkDown_AndFiresTheWakeUp()
    {
        int changes = 0;
        _nic.LinkStateChanged += (_, _) => Interlocked.Increment(ref changes);
        using var woken = new ManualResetEventSlim();
        _nic.ArmWakeUp(woken.Set);

        _toNic.Dispose();

        Assert.That(woken.Wait(Patience), Is.True);
        Assert.That(_nic.IsLinkUp, Is.False);
        Assert.That(Volatile.Read(ref changes), Is.EqualTo(1));
    }

    private void SendFromPeer(byte[] frame)
    {
        _toNic.Write(Encoded(frame));
        _toNic.Flush();
    }

    private static byte[] Encoded(byte[] frame)
    {
        byte[] encoded = new byte[SlipFrameEncoder.MaxEncodedLength(frame.Length)];
        return encoded[..SlipFrameEncoder.Encode(frame, encoded)];
    }

    private static byte[] Frame(int length, byte fill)
    {
        byte[] frame = new byte[length];
        for (int i = 0; i < length; i++)
            frame[i] = (byte)(fill + i);
        return frame;
    }

    /// <summary>A serial line's two directions as one stream, as <see cref="System.IO.Ports.SerialPort.BaseStream"/> is.</summary>
    private sealed class DuplexStream(Stream reads, Stream writes) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => reads.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => writes.Write(buffer, offset, count);

        public override void Flush() => writes.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                reads.Dispose();
                writes.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
