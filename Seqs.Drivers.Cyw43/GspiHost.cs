using System.Runtime.InteropServices;
using Seqs.Drivers.Cyw43.Register.Bus;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// The host side of the gSPI protocol over a <see cref="Cyw43Bus"/> (embassy spi.rs;
/// docs/reference/cyw43439.md#gspi-bus): command words, the 16-bit start-up swap, whole-word data phases with 1- and
/// 2-byte values in the low bytes, the F1 response-delay filler, and the STATUS word parsed after every transaction
/// once it is enabled. Byte data travels packed little-endian in the words, so that the chip stores the bytes in order
/// (embassy spi.rs; pico-sdk cyw43_bus_pio_spi.c; docs/reference/cyw43439.md#wire-order-after-the-switch).
/// </summary>
internal sealed class GspiHost
{
    private readonly Cyw43Bus _bus;
    private readonly uint[] _words = new uint[1 + Cyw43Bus.MaxDataWords];
    private int _f1DelayWords;

    public GspiHost(Cyw43Bus bus)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The gSPI word packing assumes a little-endian host.");
        _bus = bus;
    }

    /// <summary>False in the 16-bit start-up mode, true once BUS_CONTROL set WORD_LENGTH_32.</summary>
    public bool IsWord32 { get; private set; }

    /// <summary>Whether the chip appends the STATUS word to each transaction (STATUS_EN written).</summary>
    public bool IsStatusEnabled { get; private set; }

    /// <summary>The STATUS word that came with the last transaction; default before STATUS_EN.</summary>
    public GspiStatus Status { get; private set; }

    /// <summary>Transactions (chip-select frames) since creation.</summary>
    public long Transactions { get; private set; }

    public Cyw43Bus Bus => _bus;

    /// <summary>Back to the power-up state: 16-bit mode, no status word, no F1 delay.</summary>
    public void Reset()
    {
        IsWord32 = false;
        IsStatusEnabled = false;
        _f1DelayWords = 0;
        Status = default;
    }

    /// <summary>After BUS_CONTROL was written: the bus now runs 32-bit words, with or without the status word.</summary>
    public void UseWord32(bool statusEnabled)
    {
        IsWord32 = true;
        IsStatusEnabled = statusEnabled;
    }

    /// <summary>After RESP_DELAY_F1 was written: F1 reads start with that many filler bytes (a multiple of 4 here).</summary>
    public void UseF1ResponseDelay(int bytes)
    {
        if (bytes < 0 || bytes % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "The driver uses whole words of F1 response delay.");
        _f1DelayWords = bytes / 4;
    }

    /// <summary>Reads a 1-, 2- or 4-byte register.</summary>
    public uint Read(BusFunction function, int address, int length)
    {
        int pad = function == BusFunction.Backplane ? _f1DelayWords : 0;
        uint command = new GspiCommand(write: false, function, address, length).ToUInt32();
        Span<uint> response = _words.AsSpan(0, pad + 1);
        Complete(_bus.CommandRead(Swap(command), response));
        uint value = Swap(response[pad]);
        return length switch
        {
            1 => value & 0xFF,
            2 => value & 0xFFFF,
            _ => value,
        };
    }

    /// <summary>Writes a 1-, 2- or 4-byte register.</summary>
    public void Write(BusFunction function, int address, uint value, int length)
    {
        _words[0] = Swap(new GspiCommand(write: true, function, address, length).ToUInt32());
        _words[1] = Swap(value);
        Complete(_bus.CommandWrite(_words.AsSpan(0, 2)));
    }

    /// <summary>Reads <paramref name="data"/>.Length bytes (at most 2048) in one transaction.</summary>
    public void ReadBytes(BusFunction function, int address, Span<byte> data)
    {
        int pad = function == BusFunction.Backplane ? _f1DelayWords : 0;
        var command = new GspiCommand(write: false, function, address, data.Length);
        Span<uint> response = _words.AsSpan(0, pad + command.DataWords);
        Complete(_bus.CommandRead(Swap(command.ToUInt32()), response));
        MemoryMarshal.AsBytes(response[pad..])[..data.Length].CopyTo(data);
    }

    /// <summary>Writes <paramref name="data"/> (at most 2048 bytes) in one transaction; the last word is zero-padded.</summary>
    public void WriteBytes(BusFunction function, int address, ReadOnlySpan<byte> data)
    {
        var command = new GspiCommand(write: true, function, address, data.Length);
        Span<uint> words = _words.AsSpan(0, 1 + command.DataWords);
        words[0] = Swap(command.ToUInt32());
        words[^1] = 0;
        data.CopyTo(MemoryMarshal.AsBytes(words[1..]));
        Complete(_bus.CommandWrite(words));
    }

    /// <summary>Reads the F0 interrupt register.</summary>
    public InterruptFlags ReadInterrupts() => new((ushort)Read(BusFunction.Bus, (int)BusRegister.Interrupt, 2));

    /// <summary>
    /// Reads the F0 interrupt register and writes back the bits it found set, which clears them, F2_PACKET_AVAILABLE
    /// included, so the host-wake line falls until something new happens (embassy runner.rs after the interrupt
    /// wait; cyw43-driver cyw43_ll_process_packets). Without this a latched bit keeps the line asserted.
    /// </summary>
    public void AcknowledgeInterrupts()
    {
        uint set = Read(BusFunction.Bus, (int)BusRegister.Interrupt, 2);
        if (set != 0)
            Write(BusFunction.Bus, (int)BusRegister.Interrupt, set, 2);
    }

    /// <summary>Clears write-1-to-clear interrupt bits; other bits in <paramref name="flags"/> are left alone.</summary>
    public void ClearInterrupts(ushort flags) =>
        Write(BusFunction.Bus, (int)BusRegister.Interrupt, (uint)(flags & InterruptFlags.WriteOneToClear), 2);

    /// <summary>Reads the STATUS register; with the status word enabled this also refreshes <see cref="Status"/>.</summary>
    public GspiStatus ReadStatus()
    {
        var status = new GspiStatus(Read(BusFunction.Bus, (int)BusRegister.Status, 4));
        if (!IsStatusEnabled)
            Status = status;
        return status;
    }

    /// <summary>
    /// The 16-bit start-up mode sends each word with its halves exchanged (embassy spi.rs read32_swapped;
    /// docs/reference/cyw43439.md#16-bit-start-up-mode).
    /// </summary>
    private uint Swap(uint word) => IsWord32 ? word : word << 16 | word >> 16;

    private void Complete(uint status)
    {
        Transactions++;
        if (IsStatusEnabled)
            Status = new GspiStatus(status);
    }
}
