using System.Buffers.Binary;
using Seqs.Hal;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// Hand-built gSPI frames, written from docs/reference/cyw43439.md rather than from the driver, to check the emulator
/// against the facts: the command word layout (embassy spi.rs cmd_word; docs/reference/cyw43439.md#command-word: bit
/// 31 write, 30 increment, 29:28 function, 27:11 address, 10:0 length), words most significant byte first, the 16-bit
/// start-up swap, the F1 response delay and the status word.
/// </summary>
internal sealed class RawGspi(ISpiBus spi)
{
    public bool Word32 { get; set; }

    public int F1DelayBytes { get; set; }

    public bool StatusEnabled { get; set; }

    public uint LastStatus { get; private set; }

    public static uint Command(bool write, int function, int address, int length) =>
        (write ? 1u << 31 : 0) | 1u << 30 | (uint)function << 28 | (uint)address << 11 | (uint)length & 0x7FF;

    public byte[] WireWord(uint word)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Word32 ? word : word << 16 | word >> 16);
        return bytes;
    }

    /// <summary>One frame: command, data words, one status word clocked in; returns what the chip drove.</summary>
    public byte[] Frame(uint command, byte[] data, int responseBytes)
    {
        var transmit = new byte[4 + Math.Max(data.Length, responseBytes) + 4];
        WireWord(command).CopyTo(transmit, 0);
        data.CopyTo(transmit, 4);
        var receive = new byte[transmit.Length];
        spi.Exchange(transmit, receive);
        LastStatus = BinaryPrimitives.ReadUInt32BigEndian(receive.AsSpan(receive.Length - 4));
        return receive;
    }

    public uint Read(int function, int address, int length)
    {
        int delay = function == 1 ? F1DelayBytes : 0;
        byte[] receive = Frame(Command(false, function, address, length), [], delay + 4);
        uint word = BinaryPrimitives.ReadUInt32BigEndian(receive.AsSpan(4 + delay));
        return Word32 ? word : word << 16 | word >> 16;
    }

    public void Write(int function, int address, uint value, int length) =>
        Frame(Command(true, function, address, length), WireWord(value), 0);

    /// <summary>Bytes in memory order: packed little-endian into words that go most significant byte first.</summary>
    public void WriteBytes(int function, int address, byte[] bytes)
    {
        var data = new byte[(bytes.Length + 3) & ~3];
        for (int i = 0; i < bytes.Length; i++)
            data[(i & ~3) + 3 - (i & 3)] = bytes[i];
        Frame(Command(true, function, address, bytes.Length), data, 0);
    }

    public byte[] ReadBytes(int function, int address, int length)
    {
        int delay = function == 1 ? F1DelayBytes : 0;
        int words = (length + 3) / 4;
        byte[] receive = Frame(Command(false, function, address, length), [], delay + words * 4);
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = receive[4 + delay + (i & ~3) + 3 - (i & 3)];
        return bytes;
    }

    /// <summary>
    /// The handshake, steps 3-4 (embassy spi.rs init; docs/reference/cyw43439.md#handshake): 32-bit words, status word,
    /// F1 delay of 4.
    /// </summary>
    public void Configure()
    {
        Write(0, 0x00, 0x000304B1, 4);
        Word32 = true;
        StatusEnabled = true;
        Write(0, 0x1D, 4, 1);
        F1DelayBytes = 4;
    }

    public void SetWindow(uint address)
    {
        Write(1, 0x1000A, (address >> 8) & 0xFF, 1);
        Write(1, 0x1000B, (address >> 16) & 0xFF, 1);
        Write(1, 0x1000C, address >> 24, 1);
    }

    public void BackplaneWrite8(uint address, byte value)
    {
        SetWindow(address);
        Write(1, (int)(address & 0x7FFF), value, 1);
    }

    public void BackplaneWrite32(uint address, uint value)
    {
        SetWindow(address);
        Write(1, (int)(address & 0x7FFF) | 0x8000, value, 4);
    }

    public void BackplaneWriteBytes(uint address, byte[] bytes)
    {
        for (int at = 0; at < bytes.Length; at += 64)
        {
            SetWindow(address + (uint)at);
            WriteBytes(1, (int)((address + (uint)at) & 0x7FFF), bytes.AsSpan(at, Math.Min(64, bytes.Length - at)).ToArray());
        }
    }
}
