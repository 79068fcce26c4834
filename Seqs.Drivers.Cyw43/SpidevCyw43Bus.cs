#if NET8_0_OR_GREATER
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Seqs.Drivers.Cyw43.Spidev;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// gSPI on one shared data line, as the Pico W wires it, through Linux spidev in SPI_3WIRE mode: each transaction is
/// one <c>SPI_IOC_MESSAGE(2)</c>, a transmit-only segment (command word, and the data of a write) then a
/// receive-only segment (the data of a read, then the status word), under one chip select. System.Device.Spi cannot
/// do this: it has no 3-wire setting and sends every call as one full-duplex segment (dotnet/iot System.Device.Spi
/// <c>SpiConnectionSettings</c>, <c>UnixSpiDevice</c>; <c>docs/reference/dotnet-iot.md#three-wire-spi</c>). SPI
/// mode 0: BUS_CONTROL leaves CPOL and CPHA at 0. The controller must support SPI_3WIRE (the Raspberry Pi's
/// spi-bcm2835 does); a message is at most spidev's <c>bufsiz</c>, 4096 bytes by default, and a transaction here is
/// at most 2,064.
/// </summary>
public sealed unsafe class SpidevCyw43Bus : Cyw43Bus
{
    private const int MaxMessage = (1 + MaxDataWords + 1) * 4;

    private readonly ISpidevFile _file;
    private readonly string _name;
    private readonly byte[] _transmit = GC.AllocateArray<byte>(MaxMessage, pinned: true);
    private readonly byte[] _receive = GC.AllocateArray<byte>(MaxMessage, pinned: true);

    /// <summary>Opens /dev/spidev<paramref name="busId"/>.<paramref name="chipSelectLine"/> in 3-wire mode 0 at <paramref name="clockFrequency"/> Hz.</summary>
    /// <exception cref="IOException">The device cannot be opened, or refuses 3-wire mode or the clock.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clockFrequency"/> is above <see cref="Cyw43439.MaxRisingEdgeClockFrequency"/>.</exception>
    [SupportedOSPlatform("linux")]
    public SpidevCyw43Bus(int busId, int chipSelectLine, int clockFrequency = Cyw43439.SpiClockFrequency)
        : this(new LinuxSpidevFile($"/dev/spidev{busId}.{chipSelectLine}"), clockFrequency, $"/dev/spidev{busId}.{chipSelectLine}")
    {
    }

    internal SpidevCyw43Bus(ISpidevFile file, int clockFrequency, string name)
    {
        _file = file ?? throw new ArgumentNullException(nameof(file));
        if (clockFrequency <= 0 || clockFrequency > Cyw43439.MaxRisingEdgeClockFrequency)
        {
            file.Dispose();
            throw new ArgumentOutOfRangeException(nameof(clockFrequency), clockFrequency,
                $"spidev samples the chip on the rising clock edge (SPI mode 0), which is reliable only up to {Cyw43439.MaxRisingEdgeClockFrequency} Hz; give a clock from 1 to {Cyw43439.MaxRisingEdgeClockFrequency} Hz ({Cyw43439.SpiClockFrequency} by default).");
        }
        ClockFrequency = clockFrequency;
        _name = name;
        try
        {
            uint mode = SpidevRequest.ThreeWireMode;
            Configure(SpidevRequest.WriteMode32, &mode, "SPI_3WIRE mode 0 (does the controller support 3-wire?)");
            byte bits = 8;
            Configure(SpidevRequest.WriteBitsPerWord, &bits, "8 bits per word");
            uint speed = (uint)clockFrequency;
            Configure(SpidevRequest.WriteMaxSpeedHz, &speed, $"a {clockFrequency} Hz clock");
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public override int ClockFrequency { get; }

    public override uint CommandWrite(ReadOnlySpan<uint> words)
    {
        CheckWrite(words);
        WriteWords(words, _transmit);
        Transfer(transmitLength: words.Length * 4, receiveLength: 4);
        return StatusAt(0);
    }

    public override uint CommandRead(uint command, Span<uint> response)
    {
        CheckRead(response);
        WriteWords([command], _transmit);
        Transfer(transmitLength: 4, receiveLength: (response.Length + 1) * 4);
        ReadWords(_receive, response);
        return StatusAt(response.Length * 4);
    }

    public override string ToString() => _name;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _file.Dispose();
    }

    /// <summary>Write then read under one chip select: two segments in one message.</summary>
    private void Transfer(int transmitLength, int receiveLength)
    {
        SpiIocTransfer* segments = stackalloc SpiIocTransfer[2];
        segments[0] = new SpiIocTransfer
        {
            TransmitBuffer = (ulong)Marshal.UnsafeAddrOfPinnedArrayElement(_transmit, 0),
            Length = (uint)transmitLength,
            SpeedHz = (uint)ClockFrequency,
            BitsPerWord = 8,
        };
        segments[1] = new SpiIocTransfer
        {
            ReceiveBuffer = (ulong)Marshal.UnsafeAddrOfPinnedArrayElement(_receive, 0),
            Length = (uint)receiveLength,
            SpeedHz = (uint)ClockFrequency,
            BitsPerWord = 8,
        };
        if (_file.Ioctl(SpidevRequest.Message(2), (nint)segments) < 0)
            throw new IOException($"SPI_IOC_MESSAGE(2) on {_name} failed: {Marshal.GetPInvokeErrorMessage(_file.LastError)} (errno {_file.LastError}).");
    }

    private uint StatusAt(int at) => BinaryPrimitives.ReadUInt32BigEndian(_receive.AsSpan(at));

    private void Configure(nuint request, void* value, string what)
    {
        if (_file.Ioctl(request, (nint)value) < 0)
            throw new IOException($"{_name} refused {what}: {Marshal.GetPInvokeErrorMessage(_file.LastError)} (errno {_file.LastError}).");
    }
}
#endif
