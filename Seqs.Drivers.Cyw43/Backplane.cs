using Seqs.Drivers.Cyw43.Register.Backplane;
using Seqs.Drivers.Cyw43.Register.Bus;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// The chip's 32-bit backplane through F1 (embassy spi.rs backplane_set_window, bp_read, bp_write;
/// docs/reference/cyw43439.md#window-rules): a cached 32 KB window, of which only the changed address bytes are
/// written; register reads and writes of 1, 2 or 4 bytes; and bulk transfers split at 64 bytes and at window
/// boundaries.
/// </summary>
internal sealed class Backplane(GspiHost gspi)
{
    private uint _window;
    private bool _windowKnown;

    /// <summary>Window register writes since creation.</summary>
    public long WindowWrites { get; private set; }

    /// <summary>After a power cycle the chip's window is unknown again.</summary>
    public void Reset() => _windowKnown = false;

    public byte Read8(uint address) => (byte)ReadRegister(address, 1);

    public ushort Read16(uint address) => (ushort)ReadRegister(address, 2);

    public uint Read32(uint address) => ReadRegister(address, 4);

    public void Write8(uint address, byte value) => WriteRegister(address, value, 1);

    public void Write16(uint address, ushort value) => WriteRegister(address, value, 2);

    public void Write32(uint address, uint value) => WriteRegister(address, value, 4);

    /// <summary>Reads <paramref name="data"/> from <paramref name="address"/>, which must be 4-byte aligned.</summary>
    public void Read(uint address, Span<byte> data)
    {
        CheckAligned(address);
        while (!data.IsEmpty)
        {
            int length = ChunkAt(address, data.Length);
            SetWindow(address);
            gspi.ReadBytes(BusFunction.Backplane, (int)(address & BackplaneWindow.OffsetMask), data[..length]);
            address += (uint)length;
            data = data[length..];
        }
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="address"/>, which must be 4-byte aligned.</summary>
    public void Write(uint address, ReadOnlySpan<byte> data)
    {
        CheckAligned(address);
        while (!data.IsEmpty)
        {
            int length = ChunkAt(address, data.Length);
            SetWindow(address);
            gspi.WriteBytes(BusFunction.Backplane, (int)(address & BackplaneWindow.OffsetMask), data[..length]);
            address += (uint)length;
            data = data[length..];
        }
    }

    /// <summary>How many of <paramref name="remaining"/> bytes one transfer at <paramref name="address"/> may carry.</summary>
    internal static int ChunkAt(uint address, int remaining)
    {
        int toWindowEnd = BackplaneWindow.Size - (int)(address & BackplaneWindow.OffsetMask);
        return Math.Min(remaining, Math.Min(BackplaneWindow.MaxTransfer, toWindowEnd));
    }

    private uint ReadRegister(uint address, int length)
    {
        SetWindow(address);
        return gspi.Read(BusFunction.Backplane, BusAddress(address, length), length);
    }

    private void WriteRegister(uint address, uint value, int length)
    {
        SetWindow(address);
        gspi.Write(BusFunction.Backplane, BusAddress(address, length), value, length);
    }

    /// <summary>embassy spi.rs <c>backplane_readn</c>: the 4-byte access flag goes with 4-byte accesses only.</summary>
    private static int BusAddress(uint address, int length) =>
        (int)(address & BackplaneWindow.OffsetMask) | (length == 4 ? BackplaneWindow.Access32BitFlag : 0);

    /// <summary>Writes only the window bytes that differ from the cached window, high byte first as embassy does.</summary>
    private void SetWindow(uint address)
    {
        uint window = BackplaneWindow.BaseOf(address);
        if (_windowKnown && window == _window)
            return;
        SetWindowByte(BackplaneRegister.WindowHigh, window, 24);
        SetWindowByte(BackplaneRegister.WindowMid, window, 16);
        SetWindowByte(BackplaneRegister.WindowLow, window, 8);
        _window = window;
        _windowKnown = true;
    }

    private void SetWindowByte(BackplaneRegister register, uint window, int shift)
    {
        byte value = (byte)(window >> shift);
        if (_windowKnown && value == (byte)(_window >> shift))
            return;
        gspi.Write(BusFunction.Backplane, (int)register, value, 1);
        WindowWrites++;
    }

    private static void CheckAligned(uint address)
    {
        if ((address & 3) != 0)
            throw new ArgumentException($"Backplane bulk transfers start 4-byte aligned; {address:X8}h is not.", nameof(address));
    }
}
