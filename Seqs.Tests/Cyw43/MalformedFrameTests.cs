using Seqs.Drivers.Cyw43.Register.Events;
using Seqs.Drivers.Cyw43.Register.Iovar;
using Seqs.Drivers.Cyw43.Register.Sdpcm;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// What the chip sends is untrusted input: the views never throw on random or truncated bytes, and the driver skips
/// a malformed frame and goes on with the next.
/// </summary>
public sealed class MalformedFrameTests
{
    [Test]
    public void Views_NeverThrow_OnRandomBytesOrAnyTruncation()
    {
        var random = new Random(8);
        var bytes = new byte[300];
        for (int round = 0; round < 1000; round++)
        {
            random.NextBytes(bytes);
            if (round % 2 == 0) // half the rounds: a well-formed event header with random data, to reach the inner views
                WlanEventFrame.Write(bytes, default, default, WlanEventType.EscanResult, 8, 0, 0, default, bytes.AsSpan(200, random.Next(100)).ToArray());
            byte[] input = bytes.AsSpan(0, random.Next(bytes.Length + 1)).ToArray();
            Assert.DoesNotThrow(() => Touch(input), $"round {round}");
        }
    }

    [Test]
    public void MalformedFramesFromTheChip_AreSkipped_AndTheNextFrameArrives()
    {
        using var board = new JoinedBoard();
        long skippedBefore = board.Driver.FramesSkipped;
        var badComplement = new byte[64];
        SdpcmHeader.Write(badComplement, 64, 200, SdpcmChannel.Data, SdpcmHeader.Length);
        badComplement[2] ^= 0xFF;
        var notAnEvent = new byte[SdpcmHeader.Length + BdcHeader.Length + 20];
        SdpcmHeader.Write(notAnEvent, notAnEvent.Length, 201, SdpcmChannel.Event, SdpcmHeader.Length);
        var offsetPastTheEnd = new byte[SdpcmHeader.Length + BdcHeader.Length + 8];
        SdpcmHeader.Write(offsetPastTheEnd, offsetPastTheEnd.Length, 202, SdpcmChannel.Data, SdpcmHeader.Length);
        BdcHeader.Write(offsetPastTheEnd.AsSpan(SdpcmHeader.Length), dataOffsetWords: 9);
        board.Chip.InjectFrameToHost(badComplement);
        board.Chip.InjectFrameToHost(notAnEvent);
        board.Chip.InjectFrameToHost(offsetPastTheEnd);
        byte[] good = board.Frame(200, seed: 5);
        board.Peer.TryTransmit(good);

        var buffer = new byte[1514];
        Assert.That(board.Driver.TryReceive(buffer, out int length), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(buffer.AsSpan(0, length).ToArray(), Is.EqualTo(good).AsCollection);
            Assert.That(board.Driver.FramesSkipped - skippedBefore, Is.EqualTo(2), "the bad SDPCM frame and the non-event");
            Assert.That(board.Driver.Counters.ReceiveErrors, Is.EqualTo(1), "the BDC offset past the end");
            Assert.That(board.Driver.IsLinkUp, Is.True);
        }
    }

    private static void Touch(byte[] bytes)
    {
        if (SdpcmHeader.TryCreate(bytes, out var sdpcm))
            _ = (sdpcm.Payload.Length, sdpcm.Channel, sdpcm.Credit);
        _ = sdpcm.ToString();
        if (BdcHeader.TryCreate(bytes, out var bdc))
            _ = bdc.Payload.Length;
        _ = bdc.ToString();
        if (CdcHeader.TryCreate(bytes, out var cdc))
            _ = (cdc.Payload.Length, cdc.RequestId, cdc.Status);
        _ = cdc.ToString();
        if (WlanEventFrame.TryCreate(bytes, out var wlanEvent))
        {
            _ = (wlanEvent.Data.Length, wlanEvent.Address, wlanEvent.EventType, wlanEvent.IsLinkUp);
            if (EscanResult.TryCreate(wlanEvent.Data, out var scan) && scan.TryGetFirst(out var bss))
                _ = (bss.Ssid.Length, bss.Channel, bss.Rssi, bss.HasRsnElement, bss.HasWpaElement, bss.Bssid);
        }
        _ = wlanEvent.ToString();
        if (BssInfo.TryCreate(bytes, out var info))
            _ = (info.Ssid.Length, info.InformationElements.Length, info.HasRsnElement, info.HasWpaElement);
        if (ClmDownloadHeader.TryCreate(bytes, out var clm))
            _ = clm.Chunk.Length;
        if (ScanParameters.TryCreate(bytes, out var scanParameters))
            _ = (scanParameters.Ssid.Length, scanParameters.SyncId);
    }
}
