using System.Runtime.InteropServices;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Drivers.Cyw43.Spidev;
using Seqs.Hal;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// A /dev/spidev stand-in for <see cref="Drivers.Cyw43.SpidevCyw43Bus"/>: it takes the configuration ioctls and runs
/// each two-segment SPI_IOC_MESSAGE against a full-duplex chip model, as a 3-wire controller would put it on the
/// wire: the transmit segment's bytes, then the receive segment's clocked in, under one chip select. Like a real
/// mode-0 controller it samples on the rising edge, which above about 33 MHz catches the chip's next bit
/// (embassy cyw43-pio PioSpi::new moves its sample point above 37.5 MHz, spidev cannot;
/// docs/reference/cyw43439.md#clock-and-throughput): the received segment then reads every bit one late.
/// </summary>
internal sealed class EmulatedSpidevFile(ISpiBus chip) : ISpidevFile
{
    private const int Einval = 22;

    /// <summary>
    /// Where rising-edge sampling stops being reliable: about 33 MHz (embassy cyw43-pio PioSpi::new;
    /// docs/reference/cyw43439.md#clock-and-throughput).
    /// </summary>
    private const uint RisingEdgeSampleLimit = 33_000_000;

    public uint Mode { get; private set; }

    public byte BitsPerWord { get; private set; }

    public uint SpeedHz { get; private set; }

    /// <summary>Fault: the controller does not support SPI_3WIRE.</summary>
    public bool RefusesThreeWire { get; init; }

    public int Messages { get; private set; }

    /// <summary>Segments that would be illegal in 3-wire mode (both buffers), or messages of another shape.</summary>
    public List<string> Violations { get; } = [];

    public int LastError { get; private set; }

    public bool IsDisposed { get; private set; }

    public int Ioctl(nuint request, nint argument)
    {
        if (request == SpidevRequest.WriteMode32)
        {
            uint mode = (uint)Marshal.ReadInt32(argument);
            if (RefusesThreeWire && (mode & SpidevRequest.ThreeWireMode) != 0)
            {
                LastError = Einval;
                return -1;
            }
            Mode = mode;
        }
        else if (request == SpidevRequest.WriteBitsPerWord)
        {
            BitsPerWord = Marshal.ReadByte(argument);
        }
        else if (request == SpidevRequest.WriteMaxSpeedHz)
        {
            SpeedHz = (uint)Marshal.ReadInt32(argument);
        }
        else if (request == SpidevRequest.Message(2))
        {
            Message(Marshal.PtrToStructure<SpiIocTransfer>(argument), Marshal.PtrToStructure<SpiIocTransfer>(argument + SpiIocTransfer.Size));
        }
        else
        {
            Violations.Add($"unexpected ioctl {request:X8}h");
            LastError = Einval;
            return -1;
        }
        return 0;
    }

    public void Dispose() => IsDisposed = true;

    private void Message(SpiIocTransfer write, SpiIocTransfer read)
    {
        Messages++;
        if (write.ReceiveBuffer != 0 || read.TransmitBuffer != 0 || write.TransmitBuffer == 0 || read.ReceiveBuffer == 0)
            Violations.Add("a 3-wire message is a transmit-only segment then a receive-only one");
        var wire = new byte[write.Length + read.Length];
        Marshal.Copy((nint)write.TransmitBuffer, wire, 0, (int)write.Length);
        var received = new byte[wire.Length];
        chip.Exchange(wire, received);
        if (read.SpeedHz > RisingEdgeSampleLimit)
            Cyw43Emulator.SampleOneBitLate(received.AsSpan((int)write.Length));
        Marshal.Copy(received, (int)write.Length, (nint)read.ReceiveBuffer, (int)read.Length);
    }
}
