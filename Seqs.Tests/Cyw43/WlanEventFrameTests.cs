using Seqs.Drivers.Cyw43.Register.Events;
using Seqs.Drivers.Cyw43.Register.Iovar;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Wire;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// Event frames, the BDC header, the CLM chunk header and the event mask (embassy structs.rs;
/// docs/reference/cyw43439.md#event-frames); hand-built vectors.
/// </summary>
public sealed class WlanEventFrameTests
{
    // A LINK event (16), link flag set, status 0, reason 0, 4 bytes of data, from BSSID 02:AA:00:00:00:01:
    // Ethernet (dst, src, 886C), Broadcom header (8001, length of what follows the subtype, which the driver ignores, version 0, OUI 00:10:18, user subtype 1),
    // wl_event_msg big-endian (version 2, flags 1, type 16, status, reason, auth, datalen 4, addr, "wlan0", 0, 0).
    private static readonly byte[] LinkEvent = Convert.FromHexString(
        "024343943901" + "024343943901" + "886C" +
        "8001" + "003E" + "00" + "001018" + "0001" +
        "0002" + "0001" + "00000010" + "00000000" + "00000000" + "00000000" + "00000004" +
        "02AA00000001" + "776C616E300000000000000000000000" + "00" + "00" +
        "DEADBEEF");

    [Test]
    public void LinkEvent_Deconstructs()
    {
        Assert.That(WlanEventFrame.TryCreate(LinkEvent, out var e), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.EventType, Is.EqualTo(WlanEventType.Link));
            Assert.That(e.IsLinkUp, Is.True);
            Assert.That(e.Status, Is.Zero);
            Assert.That(e.Address, Is.EqualTo(new MacAddress(0x02_AA_00_00_00_01)));
            Assert.That(e.Data.ToArray(), Is.EqualTo(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }).AsCollection);
            Assert.That(e.ToString(), Does.Contain("Link"));
        }
    }

    [Test]
    public void LinkEvent_Constructs()
    {
        var frame = new byte[LinkEvent.Length];
        var chip = new MacAddress(0x02_43_43_94_39_01);

        int length = WlanEventFrame.Write(frame, chip, chip, WlanEventType.Link, 0, 0, WlanEventFrame.LinkFlag,
            new MacAddress(0x02_AA_00_00_00_01), [0xDE, 0xAD, 0xBE, 0xEF]);

        Assert.That(length, Is.EqualTo(LinkEvent.Length));
        Assert.That(frame, Is.EqualTo(LinkEvent).AsCollection);
    }

    [Test]
    public void OtherEthertype_IsNotAnEvent()
    {
        byte[] ip = LinkEvent.ToArray();
        ip[12] = 0x08;
        ip[13] = 0x00;

        Assert.That(WlanEventFrame.TryCreate(ip, out _), Is.False);
    }

    [Test]
    public void DataLengthBeyondTheFrame_IsRejected_AtEveryTruncation()
    {
        for (int length = 0; length < LinkEvent.Length; length++)
            Assert.That(WlanEventFrame.TryCreate(LinkEvent.AsSpan(0, length), out _), Is.False, $"{length} bytes");
    }

    [Test]
    public void BdcHeader_SkipsItsDataOffset()
    {
        byte[] bytes = [0x20, 0x00, 0x00, 0x01, 0xAA, 0xBB, 0xCC, 0xDD, 0x11, 0x22];

        Assert.That(BdcHeader.TryCreate(bytes, out var bdc), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bdc.Flags, Is.EqualTo(BdcHeader.VersionFlags));
            Assert.That(bdc.DataOffsetWords, Is.EqualTo(1));
            Assert.That(bdc.Payload.ToArray(), Is.EqualTo(new byte[] { 0x11, 0x22 }).AsCollection);
        }
    }

    [Test]
    public void BdcHeader_WithAnOffsetPastTheFrame_IsRejected()
    {
        Assert.That(BdcHeader.TryCreate([0x20, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00], out _), Is.False);
    }

    [Test]
    public void ClmChunkHeader_Constructs()
    {
        var header = new byte[ClmDownloadHeader.Length];

        ClmDownloadHeader.Write(header, first: true, last: true, 984);

        // flag 0x1000 | BEGIN 2 | END 4, type 2, length 984 (0x3D8), CRC 0, all little-endian.
        Assert.That(Convert.ToHexString(header), Is.EqualTo("06100200D803000000000000"));
    }

    [Test]
    public void EventMask_EnablesAllButTheNoisyEvents()
    {
        var value = new byte[EventMask.Length];

        EventMask.Write(value);

        using (Assert.EnterMultipleScope())
        {
            foreach (uint code in new uint[] { 0, 1, 3, 6, 16, 46, 69 })
                Assert.That(EventMask.IsEnabled(value, code), Is.True, $"event {code}");
            foreach (uint code in new uint[] { 19, 20, 40, 44, 54, 71 })
                Assert.That(EventMask.IsEnabled(value, code), Is.False, $"event {code}");
            Assert.That(value.AsSpan(0, 4).ToArray(), Is.EqualTo(new byte[4]).AsCollection, "interface 0");
        }
    }
}
