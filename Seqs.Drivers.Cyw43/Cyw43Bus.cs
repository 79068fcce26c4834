using System.Buffers.Binary;

namespace Seqs.Drivers.Cyw43;

/// <summary>
/// The transport of gSPI command-word transactions, one chip-select frame each: the host clocks a 32-bit command
/// word, then writes or reads the data words, then clocks one more word in, the STATUS word the chip appends once
/// STATUS_EN is set (embassy spi.rs: its <c>SpiBusCyw43</c> trait has the same two calls;
/// docs/reference/cyw43439.md#status-phase). Words go on the wire most significant bit first; the 16-bit start-up swap
/// is the caller's business. Implementations differ in how they move the bits: separate data-in and data-out lines
/// (<see cref="FullDuplexCyw43Bus"/>), or one shared data line as on the Pico W.
/// </summary>
public abstract class Cyw43Bus : IDisposable
{
    /// <summary>The largest data phase in words: a 2048-byte F2 transfer plus one word of F1 response delay.</summary>
    public const int MaxDataWords = 2048 / 4 + 1;

    /// <summary>The gSPI clock in Hz.</summary>
    public abstract int ClockFrequency { get; }

    /// <summary>
    /// Writes <paramref name="words"/> (the command word first, then the data) in one chip-select frame and returns
    /// the word clocked in after them: the STATUS word when STATUS_EN is set, undefined before.
    /// </summary>
    public abstract uint CommandWrite(ReadOnlySpan<uint> words);

    /// <summary>
    /// Writes <paramref name="command"/>, reads <paramref name="response"/>.Length words, then the status word, in one
    /// chip-select frame; returns the status word (undefined before STATUS_EN is set). Backplane reads start with
    /// the response-delay filler, which the caller skips.
    /// </summary>
    public abstract uint CommandRead(uint command, Span<uint> response);

    /// <summary>
    /// Called while WL_REG_ON is low, before it rises: the chip reads the shared data line (DATA2) as a strap when it
    /// powers up, and low selects gSPI (pico-sdk cyw43_bus_pio_spi.c drives it low before raising WL_REG_ON). A
    /// transport that drives the data line drives it low; one that cannot (spidev) relies on a pull-down (README).
    /// </summary>
    public virtual void PrepareForPowerUp()
    {
    }

    /// <summary>Puts <paramref name="words"/> on the wire order, most significant byte first.</summary>
    protected static void WriteWords(ReadOnlySpan<uint> words, Span<byte> destination)
    {
        for (int i = 0; i < words.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(destination[(i * 4)..], words[i]);
    }

    /// <summary>Reads <paramref name="words"/>.Length words from wire order, most significant byte first.</summary>
    protected static void ReadWords(ReadOnlySpan<byte> source, Span<uint> words)
    {
        for (int i = 0; i < words.Length; i++)
            words[i] = BinaryPrimitives.ReadUInt32BigEndian(source[(i * 4)..]);
    }

    /// <summary>Checks a write's word count: a command word and at most <see cref="MaxDataWords"/> data words.</summary>
    protected static void CheckWrite(ReadOnlySpan<uint> words)
    {
        if (words.IsEmpty || words.Length > 1 + MaxDataWords)
            throw new ArgumentOutOfRangeException(nameof(words), words.Length, $"A transaction has a command word and at most {MaxDataWords} data words.");
    }

    /// <summary>Checks a read's word count: at most <see cref="MaxDataWords"/>.</summary>
    protected static void CheckRead(Span<uint> response)
    {
        if (response.Length > MaxDataWords)
            throw new ArgumentOutOfRangeException(nameof(response), response.Length, $"A transaction reads at most {MaxDataWords} words.");
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the lines the transport owns.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
