using System.Buffers.Binary;
using System.IO.Hashing;

namespace Seqs.Device.HostNics;

/// <summary>
/// Reassembles the frames <see cref="SlipFrameEncoder"/> writes from a serial byte stream, one byte at a time, in a
/// buffer allocated once. Every END closes what came before it, so after noise, a lost byte or a frame cut short the
/// decoder is back in step at the next END: the damaged bytes come out as one <see cref="SlipDecodeResult.CrcMismatch"/>.
/// </summary>
public sealed class SlipFrameDecoder
{
    private readonly byte[] _buffer;
    private int _length;
    private int _frameLength;
    private bool _escaped;
    private bool _tooLong;

    /// <param name="maxFrameSize">The longest frame accepted, CRC excluded; longer ones are dropped as <see cref="SlipDecodeResult.TooLong"/>.</param>
    public SlipFrameDecoder(int maxFrameSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameSize);
        _buffer = new byte[maxFrameSize + SlipFrameEncoder.CrcLength];
    }

    /// <summary>The frame, CRC removed, after <see cref="Decode"/> returned <see cref="SlipDecodeResult.Frame"/>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Frame => _buffer.AsSpan(0, _frameLength);

    public SlipDecodeResult Decode(byte received)
    {
        if (received == SlipFrameEncoder.End)
            return CloseFrame();
        if (_escaped)
        {
            _escaped = false;
            // RFC 1055 ("SLIP DRIVERS", recv_packet): ESC followed by anything else is a protocol violation, and "the
            // best bet seems to be to leave the byte alone and just stuff it into the packet"; the CRC then rejects it.
            received = received switch
            {
                SlipFrameEncoder.EscapedEnd => SlipFrameEncoder.End,
                SlipFrameEncoder.EscapedEscape => SlipFrameEncoder.Escape,
                _ => received,
            };
        }
        else if (received == SlipFrameEncoder.Escape)
        {
            _escaped = true;
            return SlipDecodeResult.NeedMoreBytes;
        }
        if (_length == _buffer.Length)
            _tooLong = true;
        else
            _buffer[_length++] = received;
        return SlipDecodeResult.NeedMoreBytes;
    }

    private SlipDecodeResult CloseFrame()
    {
        int length = _length;
        bool tooLong = _tooLong;
        _length = 0;
        _escaped = false;
        _tooLong = false;
        _frameLength = 0;
        if (tooLong)
            return SlipDecodeResult.TooLong;
        if (length == 0)
            return SlipDecodeResult.NeedMoreBytes;
        int frameLength = length - SlipFrameEncoder.CrcLength;
        if (frameLength <= 0)
            return SlipDecodeResult.CrcMismatch;
        ReadOnlySpan<byte> frame = _buffer.AsSpan(0, frameLength);
        if (Crc32.HashToUInt32(frame) != BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(frameLength)))
            return SlipDecodeResult.CrcMismatch;
        _frameLength = frameLength;
        return SlipDecodeResult.Frame;
    }
}
