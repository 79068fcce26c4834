using Seqs.Drivers.Cyw43.Register.Sdpcm;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// SDPCM and CDC headers (embassy structs.rs SdpcmHeader, CdcHeader; docs/reference/cyw43439.md#sdpcm-header);
/// hand-built vectors, since no capture of the bus is available.
/// </summary>
public sealed class SdpcmHeaderTests
{
    // A GET_VAR "cur_etheraddr" control frame: SDPCM size 0x2E, ~size, seq 5, channel 0, header length 12, credit 0;
    // CDC cmd 262, len 18, flags id 7 << 16 (GET), status 0.
    private static readonly byte[] ControlFrame = Convert.FromHexString(
        "2E00D1FF0500000C00000000" +
        "06010000120000000000070000000000" +
        "6375725F6574686572616464720000000000");

    [Test]
    public void ControlFrame_Deconstructs()
    {
        Assert.That(SdpcmHeader.TryCreate(ControlFrame, out var sdpcm), Is.True);
        Assert.That(CdcHeader.TryCreate(sdpcm.Payload, out var cdc), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sdpcm.Size, Is.EqualTo(0x2E));
            Assert.That(sdpcm.Sequence, Is.EqualTo(5));
            Assert.That(sdpcm.Channel, Is.EqualTo(SdpcmChannel.Control));
            Assert.That(sdpcm.HeaderLength, Is.EqualTo(12));
            Assert.That(cdc.Command, Is.EqualTo((uint)Ioctl.GetVar));
            Assert.That(cdc.PayloadLength, Is.EqualTo(18));
            Assert.That(cdc.RequestId, Is.EqualTo(7));
            Assert.That(cdc.IsSet, Is.False);
            Assert.That(cdc.Status, Is.Zero);
        }
    }

    [Test]
    public void ControlFrame_Constructs()
    {
        var frame = new byte[ControlFrame.Length];

        SdpcmHeader.Write(frame, 0x2E, 5, SdpcmChannel.Control, SdpcmHeader.Length);
        CdcHeader.Write(frame.AsSpan(SdpcmHeader.Length), (uint)Ioctl.GetVar, 18, set: false, requestId: 7);
        "cur_etheraddr"u8.CopyTo(frame.AsSpan(SdpcmHeader.Length + CdcHeader.Length));

        Assert.That(frame, Is.EqualTo(ControlFrame).AsCollection);
    }

    [TestCase(0x2E, 0xFFD0, "complement")]
    [TestCase(0x40, 0xFFBF, "longer than the bytes")]
    public void InconsistentSize_IsRejected(int size, int complement, string why)
    {
        var frame = (byte[])ControlFrame.Clone();
        frame[0] = (byte)size;
        frame[1] = (byte)(size >> 8);
        frame[2] = (byte)complement;
        frame[3] = (byte)(complement >> 8);

        Assert.That(SdpcmHeader.TryCreate(frame, out _), Is.False, why);
    }

    [Test]
    public void HeaderLengthBelowTwelve_IsRejected()
    {
        var frame = (byte[])ControlFrame.Clone();
        frame[7] = 8;

        Assert.That(SdpcmHeader.TryCreate(frame, out _), Is.False);
    }
}
