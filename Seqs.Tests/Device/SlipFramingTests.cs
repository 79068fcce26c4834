using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Seqs.Device.HostNics;
using Seqs.Drivers.Enc28j60.Emulation;

namespace Seqs.Tests.Device;

/// <summary>The serial NIC's framing: RFC 1055 SLIP around a frame and its IEEE 802.3 CRC-32.</summary>
[TestFixture]
public sealed class SlipFramingTests
{
    private const int MaxFrameSize = 1514;

    [Test]
    public void Crc32_HasTheIeee8023CheckValue()
    {
        // The CRC-32 catalogue's check value: CRC-32/ISO-HDLC (the IEEE 802.3 FCS) of the ASCII bytes "123456789".
        Assert.That(Crc32.HashToUInt32(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));
    }

    [Test]
    public void Encode_AppendsTheCrcLeastSignificantByteFirst_AsTheEthernetFcs()
    {
        byte[] frame = Frame(60, seed: 1);
        byte[] encoded = Encoded(frame);
        uint fcs = EthernetCrc.Compute(frame);
        byte[] expectedTail = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(expectedTail, fcs);
        Assert.That(encoded.Where(b => b is SlipFrameEncoder.Escape).ToArray(), Is.Empty, "the test frame needs no escapes");
        Assert.That(encoded[^5..^1], Is.EqualTo(expectedTail));
    }

    [Test]
    public void Encode_EscapesEndAndEsc_AndDelimitsTheFrameWithEnd()
    {
        byte[] frame = [.. Frame(14, seed: 2), 0xC0, 0x01, 0xDB, 0x02, 0xDB, 0xDC];
        byte[] encoded = Encoded(frame);
        Assert.That(encoded[0], Is.EqualTo(SlipFrameEncoder.End));
        Assert.That(encoded[^1], Is.EqualTo(SlipFrameEncoder.End));
        Assert.That(encoded[1..^1], Does.Not.Contain(SlipFrameEncoder.End));
        Assert.That(encoded[15..23], Is.EqualTo(new byte[] { 0xDB, 0xDC, 0x01, 0xDB, 0xDD, 0x02, 0xDB, 0xDD }));
        Assert.That(encoded[23], Is.EqualTo(0xDC), "ESC_END outside an escape is an ordinary byte");
    }

    [Test]
    public void Decode_ReturnsEveryByteValue_AndFramesOfEveryLength()
    {
        var decoder = new SlipFrameDecoder(MaxFrameSize);
        byte[] allBytes = [.. Frame(14, seed: 3), .. Enumerable.Range(0, 256).Select(b => (byte)b)];
        foreach (byte[] frame in new[] { allBytes, Frame(14, seed: 4), Frame(MaxFrameSize, seed: 5), Filled(MaxFrameSize, SlipFrameEncoder.End) })
            Assert.That(DecodeAll(decoder, Encoded(frame)), Is.EqualTo(new[] { frame }));
    }

    [Test]
    public void CorruptedByte_IsACrcMismatch_AndTheNextFrameDecodes()
    {
        var decoder = new SlipFrameDecoder(MaxFrameSize);
        byte[] first = Frame(100, seed: 6), second = Frame(100, seed: 7);
        byte[] damaged = Encoded(first);
        damaged[40] ^= 0x10;
        var results = new List<SlipDecodeResult>();
        List<byte[]> frames = DecodeAll(decoder, [.. damaged, .. Encoded(second)], results);
        Assert.That(frames, Is.EqualTo(new[] { second }));
        Assert.That(results, Is.EqualTo(new[] { SlipDecodeResult.CrcMismatch, SlipDecodeResult.Frame }));
    }

    [Test]
    public void LineNoiseBeforeAFrame_IsDroppedAsOneCrcMismatch_AtTheFramesLeadingEnd()
    {
        var decoder = new SlipFrameDecoder(MaxFrameSize);
        byte[] frame = Frame(64, seed: 8);
        var results = new List<SlipDecodeResult>();
        List<byte[]> frames = DecodeAll(decoder, [0x55, 0xDB, 0x00, 0xFF, 0x13, .. Encoded(frame)], results);
        Assert.That(frames, Is.EqualTo(new[] { frame }));
        Assert.That(results, Is.EqualTo(new[] { SlipDecodeResult.CrcMismatch, SlipDecodeResult.Frame }));
    }

    [Test]
    public void FrameCutShort_IsACrcMismatch_AndTheDecoderResynchronises()
    {
        var decoder = new SlipFrameDecoder(MaxFrameSize);
        byte[] cut = Encoded(Frame(200, seed: 9))[..120];
        byte[] next = Frame(80, seed: 10);
        var results = new List<SlipDecodeResult>();
        List<byte[]> frames = DecodeAll(decoder, [.. cut, .. Encoded(next)], results);
        Assert.That(frames, Is.EqualTo(new[] { next }));
        Assert.That(results, Is.EqualTo(new[] { SlipDecodeResult.CrcMismatch, SlipDecodeResult.Frame }));
    }

    [Test]
    public void BytesTooFewForACrc_AreACrcMismatch()
    {
        var decoder = new SlipFrameDecoder(MaxFrameSize);
        var results = new List<SlipDecodeResult>();
        DecodeAll(decoder, [SlipFrameEncoder.End, 1, 2, 3, SlipFrameEncoder.End], results);
        Assert.That(results, Is.EqualTo(new[] { SlipDecodeResult.CrcMismatch }));
    }

    [Test]
    public void OversizeFrame_IsTooLong_AndTheNextFrameDecodes()
    {
        var decoder = new SlipFrameDecoder(MaxFrameSize);
        byte[] oversize = Frame(MaxFrameSize + 1, seed: 11), next = Frame(60, seed: 12);
        var results = new List<SlipDecodeResult>();
        List<byte[]> frames = DecodeAll(decoder, [.. Encoded(oversize), .. Encoded(next)], results);
        Assert.That(frames, Is.EqualTo(new[] { next }));
        Assert.That(results, Is.EqualTo(new[] { SlipDecodeResult.TooLong, SlipDecodeResult.Frame }));
    }

    [Test]
    public void BackToBackEnds_AreNotFrames()
    {
        var decoder = new SlipFrameDecoder(MaxFrameSize);
        var results = new List<SlipDecodeResult>();
        DecodeAll(decoder, [SlipFrameEncoder.End, SlipFrameEncoder.End, SlipFrameEncoder.End], results);
        Assert.That(results, Is.Empty);
    }

    [Test]
    public void Decode_AllocatesNothing_OnceWarm()
    {
        var decoder = new SlipFrameDecoder(MaxFrameSize);
        byte[] encoded = Encoded(Frame(MaxFrameSize, seed: 13));
        byte[] reencoded = new byte[SlipFrameEncoder.MaxEncodedLength(MaxFrameSize)];
        DecodeAll(decoder, encoded);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int frames = 0;
        for (int i = 0; i < 100; i++)
        {
            foreach (byte b in encoded)
                frames += decoder.Decode(b) == SlipDecodeResult.Frame ? 1 : 0;
            frames += SlipFrameEncoder.Encode(decoder.Frame, reencoded) == encoded.Length ? 0 : 1;
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(frames, Is.EqualTo(100));
    }

    private static byte[] Encoded(byte[] frame)
    {
        byte[] encoded = new byte[SlipFrameEncoder.MaxEncodedLength(frame.Length)];
        return encoded[..SlipFrameEncoder.Encode(frame, encoded)];
    }

    private static List<byte[]> DecodeAll(SlipFrameDecoder decoder, byte[] bytes, List<SlipDecodeResult>? results = null)
    {
        var frames = new List<byte[]>();
        foreach (byte b in bytes)
        {
            SlipDecodeResult result = decoder.Decode(b);
            if (result == SlipDecodeResult.NeedMoreBytes)
                continue;
            results?.Add(result);
            if (result == SlipDecodeResult.Frame)
                frames.Add(decoder.Frame.ToArray());
        }
        return frames;
    }

    /// <summary>Seeded random bytes with no SLIP specials, so escapes appear only where a test puts them.</summary>
    private static byte[] Frame(int length, int seed)
    {
        var random = new Random(seed);
        byte[] frame = new byte[length];
        for (int i = 0; i < length; i++)
            frame[i] = (byte)random.Next(0, 0xC0);
        return frame;
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
