using Seqs.Drivers.Enc28j60.Emulation;
using Seqs.Wire;

namespace Seqs.Tests.Enc28j60;

/// <summary>
/// The emulator against DS39662E, through raw SPI with the datasheet's own opcodes and addresses (not the driver),
/// so that the emulator is not merely shaped like the driver.
/// </summary>
public sealed class EmulatorDatasheetTests
{
    [Test]
    public void ResetValues_MatchTable3_2AndTable3_3()
    {
        var chip = new Enc28j60Emulator();
        var spi = new RawSpi(chip);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(spi.ReadEth(0, 0x1E), Is.EqualTo(0x80), "ECON2: AUTOINC");
            Assert.That(spi.ReadEth(0, 0x1F), Is.EqualTo(0x00), "ECON1");
            Assert.That(spi.ReadPair(0, 0x00), Is.EqualTo(0x05FA), "ERDPT");
            Assert.That(spi.ReadPair(0, 0x08), Is.EqualTo(0x05FA), "ERXST");
            Assert.That(spi.ReadPair(0, 0x0A), Is.EqualTo(0x1FFF), "ERXND");
            Assert.That(spi.ReadPair(0, 0x0C), Is.EqualTo(0x05FA), "ERXRDPT");
            Assert.That(spi.ReadEth(1, 0x18), Is.EqualTo(0xA1), "ERXFCON: UCEN|CRCEN|BCEN");
            Assert.That(spi.ReadEth(1, 0x19), Is.EqualTo(0x00), "EPKTCNT");
            Assert.That(spi.ReadMac(2, 0x08), Is.EqualTo(0x0F), "MACLCON1");
            Assert.That(spi.ReadMac(2, 0x09), Is.EqualTo(0x37), "MACLCON2");
            Assert.That(spi.ReadMac(2, 0x0A) | spi.ReadMac(2, 0x0B) << 8, Is.EqualTo(0x0600), "MAMXFL");
            Assert.That(spi.ReadEth(3, 0x12), Is.EqualTo(Enc28j60Emulator.RevisionB7), "EREVID");
            Assert.That(spi.ReadEth(0, 0x1D) & 0x01, Is.EqualTo(0x01), "ESTAT.CLKRDY");
            Assert.That(spi.ReadPhy(0x02), Is.EqualTo(0x0083), "PHID1");
            Assert.That(spi.ReadPhy(0x03), Is.EqualTo(0x1400), "PHID2");
            Assert.That(spi.ReadPhy(0x14), Is.EqualTo(0x3422), "PHLCON");
        }
    }

    [Test]
    public void MacAndMiiRegisterReads_ShiftOutADummyByteFirst()
    {
        var chip = new Enc28j60Emulator { DummyByte = 0xEE };
        var spi = new RawSpi(chip);
        spi.SelectBank(2);

        byte[] mac = spi.Exchange(0x0A, 0, 0); // MAMXFLL
        spi.SelectBank(1);
        byte[] eth = spi.Exchange(0x18, 0); // ERXFCON

        Assert.That(mac[1..], Is.EqualTo(new byte[] { 0xEE, 0x00 }).AsCollection);
        Assert.That(eth[1], Is.EqualTo(0xA1));
    }

    [Test]
    public void CommonRegisters_AreTheSameInEveryBank()
    {
        var spi = new RawSpi(new Enc28j60Emulator());
        spi.Write(0, 0x1B, 0x55); // EIE
        for (int bank = 0; bank < 4; bank++)
            Assert.That(spi.ReadEth(bank, 0x1B), Is.EqualTo(0x55), $"bank {bank}");
    }

    [Test]
    public void BitFieldSet_ChangesEthRegistersOnly()
    {
        var spi = new RawSpi(new Enc28j60Emulator());
        spi.SelectBank(2);
        spi.Exchange(0x80 | 0x00, 0x01); // BFS MACON1.MARXEN: ignored
        spi.Exchange(0x80 | 0x1B, 0x40); // BFS EIE.PKTIE
        Assert.That(spi.ReadMac(2, 0x00), Is.Zero);
        Assert.That(spi.ReadEth(2, 0x1B), Is.EqualTo(0x40));
    }

    [Test]
    public void ReadBufferMemory_WrapsFromErxndToErxst_AndFrom1FFFTo0000Elsewhere()
    {
        var chip = new Enc28j60Emulator();
        var spi = new RawSpi(chip);
        spi.WritePair(0, 0x08, 0x0000); // ERXST
        spi.WritePair(0, 0x0A, 0x0FFF); // ERXND
        spi.WritePair(0, 0x02, 0x0FFE); // EWRPT
        spi.WriteBuffer(0xA1, 0xA2);
        spi.WritePair(0, 0x02, 0x0000);
        spi.WriteBuffer(0xB1);
        spi.WritePair(0, 0x02, 0x1FFF);
        spi.WriteBuffer(0xC1, 0xC2); // WBM wraps 1FFFh -> 0000h, overwriting B1

        spi.WritePair(0, 0x00, 0x0FFE); // ERDPT
        byte[] atReceiveEnd = spi.ReadBuffer(3);
        spi.WritePair(0, 0x00, 0x1FFF);
        byte[] atTop = spi.ReadBuffer(2);

        Assert.That(atReceiveEnd, Is.EqualTo(new byte[] { 0xA1, 0xA2, 0xC2 }).AsCollection);
        Assert.That(atTop, Is.EqualTo(new byte[] { 0xC1, 0xC2 }).AsCollection);
        Assert.That(spi.ReadPair(0, 0x00), Is.EqualTo(0x0001), "ERDPT after the wrap");
    }

    [Test]
    public void ErxrdptLow_IsLatchedUntilTheHighByteIsWritten()
    {
        var spi = new RawSpi(new Enc28j60Emulator());
        spi.Write(0, 0x0C, 0x33);
        Assert.That(spi.ReadPair(0, 0x0C), Is.EqualTo(0x05FA), "no change after the low byte");
        spi.Write(0, 0x0D, 0x01);
        Assert.That(spi.ReadPair(0, 0x0C), Is.EqualTo(0x0133));
    }

    /// <summary>
    /// §7.2.4: "the host controller must write to ERXRDPTL first"; an ERXRDPTH write without a low byte before it is
    /// behaviour no document gives, so the model leaves the pointer alone (and counts the write) instead of inventing
    /// a latch that keeps the old low byte.
    /// </summary>
    [Test]
    public void ErxrdptHigh_WrittenWithoutTheLowByteFirst_DoesNotMoveThePointer()
    {
        var chip = new Enc28j60Emulator();
        var spi = new RawSpi(chip);
        spi.WritePair(0, 0x0C, 0x05FF);
        spi.Write(0, 0x0D, 0x09);
        Assert.That(spi.ReadPair(0, 0x0C), Is.EqualTo(0x05FF));
        Assert.That(chip.ReadPointerHighOnlyWrites, Is.EqualTo(1));
    }

    [Test]
    public void WritingErxst_MovesTheHardwareWritePointer()
    {
        var spi = new RawSpi(new Enc28j60Emulator());
        spi.WritePair(0, 0x08, 0x0100);
        Assert.That(spi.ReadPair(0, 0x0E), Is.EqualTo(0x0100), "ERXWRPT");
    }

    [Test]
    public void ReceivedFrame_IsStoredBehindTheStatusVectorOfTable7_3()
    {
        var chip = new Enc28j60Emulator();
        var spi = EnableReception(chip);
        byte[] frame = PatternFrame.Create(61, MacAddress.Broadcast);

        Assert.That(chip.DeliverFrame(frame), Is.True);

        // 6 + 61 + 4 = 71 bytes, padded to 72: next packet at 0048h; count 65 = 41h with CRC; status bits 16-31:
        // bit 23 Received OK (byte 4, 80h) and bit 25 broadcast (byte 5, 02h).
        Assert.That(chip.ReadMemory(0, 6), Is.EqualTo(new byte[] { 0x48, 0x00, 0x41, 0x00, 0x80, 0x02 }).AsCollection);
        Assert.That(chip.ReadMemory(6, 61), Is.EqualTo(frame).AsCollection);
        Assert.That(spi.ReadPair(0, 0x0E), Is.EqualTo(0x0048), "ERXWRPT");
        Assert.That(spi.ReadEth(1, 0x19), Is.EqualTo(1), "EPKTCNT");
        Assert.That(spi.ReadEth(0, 0x1C) & 0x40, Is.EqualTo(0x40), "EIR.PKTIF");
    }

    [Test]
    public void PacketDecrement_CountsDown_AndClearsPktifAtZero()
    {
        var chip = new Enc28j60Emulator();
        var spi = EnableReception(chip);
        chip.DeliverFrame(PatternFrame.Create(60, MacAddress.Broadcast));
        chip.DeliverFrame(PatternFrame.Create(60, MacAddress.Broadcast));

        spi.Exchange(0x80 | 0x1E, 0x40); // BFS ECON2.PKTDEC
        Assert.That(spi.ReadEth(1, 0x19), Is.EqualTo(1));
        Assert.That(spi.ReadEth(0, 0x1C) & 0x40, Is.EqualTo(0x40));
        spi.Exchange(0x80 | 0x1E, 0x40);
        Assert.That(spi.ReadEth(1, 0x19), Is.EqualTo(0));
        Assert.That(spi.ReadEth(0, 0x1C) & 0x40, Is.Zero);
        Assert.That(spi.ReadEth(0, 0x1E) & 0x40, Is.Zero, "PKTDEC reads as 0");
    }

    [Test]
    public void FrameThatDoesNotFitBeforeErxrdpt_IsDroppedWithRxerif()
    {
        var chip = new Enc28j60Emulator();
        var spi = EnableReception(chip);
        spi.WritePair(0, 0x0C, 0x00FF); // ERXRDPT: 255 bytes of room from 0000h
        Assert.That(chip.DeliverFrame(PatternFrame.Create(200, MacAddress.Broadcast)), Is.True);
        Assert.That(chip.DeliverFrame(PatternFrame.Create(200, MacAddress.Broadcast)), Is.False);
        Assert.That(spi.ReadEth(0, 0x1C) & 0x01, Is.EqualTo(0x01), "EIR.RXERIF");
        Assert.That(chip.ReceiveOverflows, Is.EqualTo(1));
    }

    [Test]
    public void Filters_PassOwnUnicastAndBroadcast_AndDropOthersAndBadCrc()
    {
        var chip = new Enc28j60Emulator();
        var spi = EnableReception(chip);
        var own = new MacAddress(0x02_12_34_56_78_9A);
        // MAADR1 (OUI byte 1) is at 04h, MAADR6 at 01h (Table 3-2).
        byte[] mac = [0x02, 0x12, 0x34, 0x56, 0x78, 0x9A];
        int[] addressOf = [0x04, 0x05, 0x02, 0x03, 0x00, 0x01];
        for (int i = 0; i < 6; i++)
            spi.Write(3, addressOf[i], mac[i]);

        Assert.That(chip.DeliverFrame(PatternFrame.Create(60, own)), Is.True);
        Assert.That(chip.DeliverFrame(PatternFrame.Create(60, MacAddress.Broadcast)), Is.True);
        Assert.That(chip.DeliverFrame(PatternFrame.Create(60, new MacAddress(0x02_12_34_56_78_9B))), Is.False);
        Assert.That(chip.DeliverFrame(PatternFrame.Create(60, new MacAddress(0x01_00_5E_00_00_01))), Is.False, "MCEN off");
        Assert.That(chip.DeliverFrame(PatternFrame.Create(60, own), crcValid: false), Is.False);
        spi.Write(1, 0x18, 0x00); // promiscuous, no CRC check
        Assert.That(chip.DeliverFrame(PatternFrame.Create(60, new MacAddress(0x02_12_34_56_78_9B)), crcValid: false), Is.True);
    }

    [Test]
    public void Transmission_SendsEtxstPlusOneToEtxnd_AndWritesTheStatusVectorAfterIt()
    {
        var chip = new Enc28j60Emulator();
        var sent = new List<byte[]>();
        chip.FrameTransmitted += f => sent.Add(f.ToArray());
        var spi = new RawSpi(chip);
        spi.Write(2, 0x02, 0x30); // MACON3: PADCFG0 | TXCRCEN
        byte[] frame = PatternFrame.Create(50, MacAddress.Broadcast);
        spi.WritePair(0, 0x02, 0x1A00);
        spi.WriteBuffer([0x00, .. frame]);
        spi.WritePair(0, 0x04, 0x1A00); // ETXST
        spi.WritePair(0, 0x06, 0x1A00 + 50); // ETXND: last byte
        spi.Exchange(0x80 | 0x1F, 0x08); // BFS ECON1.TXRTS

        Assert.That(sent, Has.Count.EqualTo(1));
        Assert.That(sent[0], Has.Length.EqualTo(60), "padded");
        Assert.That(sent[0][..50], Is.EqualTo(frame).AsCollection);
        Assert.That(spi.ReadEth(0, 0x1F) & 0x08, Is.Zero, "TXRTS clears");
        Assert.That(spi.ReadEth(0, 0x1C) & 0x08, Is.EqualTo(0x08), "TXIF");
        // TSV (Table 7-1): byte count 64 with pad and CRC, bit 23 done, bit 25 broadcast, bytes on wire 64.
        Assert.That(chip.ReadMemory(0x1A00 + 51, 7), Is.EqualTo(new byte[] { 64, 0, 0x80, 0x02, 64, 0, 0 }).AsCollection);
    }

    [Test]
    public void Txrst_HoldsTheTransmitLogicInReset_SoTxrtsStartsNothingUntilItIsCleared()
    {
        var (chip, spi, sent) = ChipWithFrameInTransmitBuffer();
        spi.Exchange(0x80 | 0x1F, 0x80); // BFS ECON1.TXRST
        spi.Exchange(0x80 | 0x1F, 0x08); // BFS ECON1.TXRTS

        Assert.That(sent, Is.Empty);
        Assert.That(spi.ReadEth(0, 0x1F) & 0x88, Is.EqualTo(0x80), "TXRST set, TXRTS held clear");

        spi.Exchange(0xA0 | 0x1F, 0x80); // BFC ECON1.TXRST
        spi.Exchange(0x80 | 0x1F, 0x08);

        Assert.That(sent, Has.Count.EqualTo(1));
        Assert.That(chip.ReadMemory(0x1A01, 50), Is.EqualTo(sent[0][..50]).AsCollection, "TXRST leaves the buffer alone");
        Assert.That(spi.ReadPair(0, 0x04), Is.EqualTo(0x1A00), "and ETXST");
        Assert.That(spi.ReadPair(0, 0x06), Is.EqualTo(0x1A00 + 50), "and ETXND");
    }

    [Test]
    public void Txrst_StopsATransmissionInProgress_WithoutTxif()
    {
        var (chip, spi, sent) = ChipWithFrameInTransmitBuffer();
        chip.TransmitBusyPolls = 5;
        spi.Exchange(0x80 | 0x1F, 0x08); // BFS ECON1.TXRTS
        spi.Exchange(0x80 | 0x1F, 0x80); // BFS ECON1.TXRST
        spi.Exchange(0xA0 | 0x1F, 0x80); // BFC ECON1.TXRST
        for (int i = 0; i < 10; i++)
            spi.ReadEth(0, 0x1F);

        Assert.That(sent, Is.Empty);
        Assert.That(spi.ReadEth(0, 0x1C) & 0x0A, Is.Zero, "neither TXIF nor TXERIF");
    }

    [Test]
    public void ClearingTxrts_CancelsATransmissionInProgress_WithTxif()
    {
        var (chip, spi, sent) = ChipWithFrameInTransmitBuffer();
        chip.TransmitBusyPolls = 5;
        spi.Exchange(0x80 | 0x1F, 0x08); // BFS ECON1.TXRTS
        spi.Exchange(0xA0 | 0x1F, 0x08); // BFC ECON1.TXRTS: §7.1, cancelled

        Assert.That(sent, Is.Empty);
        Assert.That(spi.ReadEth(0, 0x1C) & 0x08, Is.EqualTo(0x08), "TXIF");
    }

    [TestCase(false, 0x00)]
    [TestCase(true, 0x02)]
    public void ReleasingTxrst_SetsTxerif_OnlyWhereTheErrataBehaviourIsOn(bool errata, int txerif)
    {
        var chip = new Enc28j60Emulator { TransmitResetReleaseSetsTxErIf = errata };
        var spi = new RawSpi(chip);
        spi.Exchange(0x80 | 0x1F, 0x80); // BFS ECON1.TXRST
        Assert.That(spi.ReadEth(0, 0x1C) & 0x02, Is.Zero, "not while held");
        spi.Exchange(0xA0 | 0x1F, 0x80); // BFC ECON1.TXRST
        Assert.That(spi.ReadEth(0, 0x1C) & 0x02, Is.EqualTo(txerif));
    }

    [Test]
    public void LateCollision_EndsTheTransmissionWithTxifAndTxerif()
    {
        var (chip, spi, sent) = ChipWithFrameInTransmitBuffer();
        chip.InjectLateCollisions(1);
        spi.Exchange(0x80 | 0x1F, 0x08); // BFS ECON1.TXRTS

        Assert.That(sent, Is.Empty);
        Assert.That(spi.ReadEth(0, 0x1C) & 0x0A, Is.EqualTo(0x0A), "§7.1 TXIF and §12.1.3 TXERIF");
        Assert.That(chip.ReadMemory(0x1A00 + 51 + 3, 1)[0] & 0x20, Is.EqualTo(0x20), "TSV bit 29, late collision");
    }

    [Test]
    public void MiiRead_IsBusyForSomePolls_AndReadingPhirClearsLinkif()
    {
        var chip = new Enc28j60Emulator { MiiBusyPolls = 3 };
        var spi = new RawSpi(chip);
        spi.WritePhy(0x12, 0x0012); // PHIE: PGEIE | PLNKIE
        chip.LinkUp = false;
        Assert.That(spi.ReadEth(0, 0x1C) & 0x10, Is.EqualTo(0x10), "EIR.LINKIF");

        spi.Write(2, 0x14, 0x13); // MIREGADR = PHIR
        spi.Write(2, 0x12, 0x01); // MIIRD
        int busy = 0;
        while ((spi.ReadMac(3, 0x0A) & 0x01) != 0)
            busy++;

        Assert.That(busy, Is.EqualTo(3));
        Assert.That(spi.ReadMac(2, 0x18) & 0x10, Is.EqualTo(0x10), "PHIR.PLNKIF was set");
        Assert.That(spi.ReadEth(0, 0x1C) & 0x10, Is.Zero, "LINKIF cleared by the read");
        Assert.That(spi.ReadPhy(0x11) & 0x0400, Is.Zero, "PHSTAT2.LSTAT");
    }

    [Test]
    public void InterruptPin_IsLowWhileIntieAndAnEnabledFlagAreSet()
    {
        var chip = new Enc28j60Emulator();
        var spi = EnableReception(chip);
        var edges = new List<bool>();
        chip.InterruptLine.EdgeDetected += (_, high) => edges.Add(high);

        spi.Write(0, 0x1B, 0x40); // PKTIE without INTIE
        chip.DeliverFrame(PatternFrame.Create(60, MacAddress.Broadcast));
        Assert.That(chip.InterruptLine.Read(), Is.True);
        spi.Write(0, 0x1B, 0xC0); // INTIE | PKTIE
        Assert.That(chip.InterruptLine.Read(), Is.False);
        spi.Exchange(0x80 | 0x1E, 0x40); // PKTDEC: EPKTCNT 0, PKTIF clear
        Assert.That(chip.InterruptLine.Read(), Is.True);
        Assert.That(edges, Is.EqualTo(new[] { false, true }).AsCollection);
    }

    [Test]
    public void SystemResetCommand_RestoresResetValues()
    {
        var spi = new RawSpi(new Enc28j60Emulator());
        spi.Write(1, 0x18, 0x00);
        spi.WritePair(0, 0x08, 0x0000);
        spi.Exchange(0xFF);
        Assert.That(spi.ReadEth(1, 0x18), Is.EqualTo(0xA1));
        Assert.That(spi.ReadPair(0, 0x08), Is.EqualTo(0x05FA));
    }

    [Test]
    public void MissingChip_ReadsAsAnIdleMisoLine()
    {
        var chip = new Enc28j60Emulator { IsPresent = false };
        Assert.That(new RawSpi(chip).ReadEth(3, 0x12), Is.EqualTo(0xFF));
        chip.MissingChipLevel = 0x00;
        Assert.That(new RawSpi(chip).ReadEth(3, 0x12), Is.EqualTo(0x00));
    }

    /// <summary>Receive buffer 0000h-19FFh with ERXRDPT at its end, MARXEN and RXEN on.</summary>
    private static RawSpi EnableReception(Enc28j60Emulator chip)
    {
        var spi = new RawSpi(chip);
        spi.WritePair(0, 0x08, 0x0000);
        spi.WritePair(0, 0x0A, 0x19FF);
        spi.WritePair(0, 0x0C, 0x19FF);
        spi.Write(2, 0x00, 0x01); // MACON1.MARXEN
        spi.Exchange(0x80 | 0x1F, 0x04); // BFS ECON1.RXEN
        return spi;
    }

    /// <summary>A 50-byte frame behind a control byte at 1A00h, ETXST and ETXND set, padding and CRC on (§7.1).</summary>
    private static (Enc28j60Emulator Chip, RawSpi Spi, List<byte[]> Sent) ChipWithFrameInTransmitBuffer()
    {
        var chip = new Enc28j60Emulator();
        var sent = new List<byte[]>();
        chip.FrameTransmitted += f => sent.Add(f.ToArray());
        var spi = new RawSpi(chip);
        spi.Write(2, 0x02, 0x30); // MACON3: PADCFG0 | TXCRCEN
        spi.WritePair(0, 0x02, 0x1A00); // EWRPT
        spi.WriteBuffer([0x00, .. PatternFrame.Create(50, MacAddress.Broadcast)]);
        spi.WritePair(0, 0x04, 0x1A00); // ETXST
        spi.WritePair(0, 0x06, 0x1A00 + 50); // ETXND: last byte
        return (chip, spi, sent);
    }
}
