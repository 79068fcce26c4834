namespace Seqs.Drivers.Cyw43;

/// <summary>
/// The transport of gSPI command-word transactions, one chip-select frame each: the host clocks a 32-bit command
/// word, then writes or reads the data words, then clocks one more word in, the STATUS word the chip appends once
/// STATUS_EN is set (reference §1 "Status phase"; embassy's <c>SpiBusCyw43</c> trait has the same two calls). Words
/// go on the wire most significant bit first; the 16-bit start-up swap is the caller's business. Implementations
/// differ in how they move the bits: separate data-in and data-out lines (<see cref="FullDuplexCyw43Bus"/>), or
/// one shared data line as on the Pico W.
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
