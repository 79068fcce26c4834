using System.Buffers.Binary;
using Seqs.Hal;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// gSPI over an <see cref="ISpiBus"/> with separate data lines, or a chip emulator: each transaction is one
/// <see cref="ISpiBus.Exchange"/>. The host shifts the command and data words out and, in the same frame, reads what
/// the chip drives after the command: the response words, then the status word. Costs 4 bytes of command and 4 of
/// status beyond the data on every transaction. The bus owns <see cref="ISpiBus"/> and disposes it.
/// </summary>
public sealed class FullDuplexCyw43Bus : Cyw43Bus
{
    private const int MaxFrame = (1 + MaxDataWords + 1) * 4;

    private readonly ISpiBus _spi;
    private readonly byte[] _transmit = new byte[MaxFrame];
    private readonly byte[] _receive = new byte[MaxFrame];

    public FullDuplexCyw43Bus(ISpiBus spi) => _spi = spi ?? throw new ArgumentNullException(nameof(spi));

    public override int ClockFrequency => _spi.ClockFrequency;

    public override uint CommandWrite(ReadOnlySpan<uint> words)
    {
        CheckWrite(words);
        int length = (words.Length + 1) * 4;
        Span<byte> transmit = _transmit.AsSpan(0, length);
        WriteWords(words, transmit);
        transmit[^4..].Clear();
        _spi.Exchange(transmit, _receive.AsSpan(0, length));
        return BinaryPrimitives.ReadUInt32BigEndian(_receive.AsSpan(length - 4));
    }

    public override uint CommandRead(uint command, Span<uint> response)
    {
        CheckRead(response);
        int length = (1 + response.Length + 1) * 4;
        Span<byte> transmit = _transmit.AsSpan(0, length);
        BinaryPrimitives.WriteUInt32BigEndian(transmit, command);
        transmit[4..].Clear();
        Span<byte> receive = _receive.AsSpan(0, length);
        _spi.Exchange(transmit, receive);
        ReadWords(receive[4..], response);
        return BinaryPrimitives.ReadUInt32BigEndian(receive[(length - 4)..]);
    }

    public override string ToString() => _spi.ToString() ?? "a SPI bus";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _spi.Dispose();
    }
}
