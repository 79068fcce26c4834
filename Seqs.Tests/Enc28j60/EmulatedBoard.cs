using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

/// <summary>A driver on an emulated chip, INT wired unless asked otherwise; frames the chip sends are kept.</summary>
internal sealed class EmulatedBoard : IDisposable
{
    public static readonly MacAddress Mac = new(0x02_12_34_56_78_9A);

    public EmulatedBoard(bool interruptLine = true, DuplexMode duplex = DuplexMode.Full, TimeProvider? time = null, Action<Enc28j60Emulator>? beforeInit = null)
    {
        Chip = new Enc28j60Emulator();
        beforeInit?.Invoke(Chip);
        Chip.FrameTransmitted += frame => Sent.Add(frame.ToArray());
        Driver = new Drivers.Enc28j60.Enc28j60(Chip, interruptLine ? Chip.InterruptLine : null, Chip.ResetLine, new Enc28j60Options
        {
            MacAddress = Mac,
            Duplex = duplex,
            TimeProvider = time ?? TimeProvider.System,
        });
    }

    public Enc28j60Emulator Chip { get; }

    public Drivers.Enc28j60.Enc28j60 Driver { get; }

    public List<byte[]> Sent { get; } = [];

    public byte[]? Receive()
    {
        var buffer = new byte[1514];
        return Driver.TryReceive(buffer, out int length) ? buffer[..length] : null;
    }

    public void Dispose() => Driver.Dispose();
}
