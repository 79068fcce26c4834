using Seqs.Drivers.Cyw43.Register.Bus;

namespace Seqs.Tests.Cyw43;

public sealed class GspiCommandTests
{
    // embassy spi.rs cmd_word; docs/reference/cyw43439.md#command-word: bit 31 write, bit 30 increment, 29:28 function,
    // 27:11 address, 10:0 length.
    [TestCase(false, BusFunction.Bus, 0x14, 4, 0x4000A004u)]
    [TestCase(true, BusFunction.Bus, 0x00, 4, 0xC0000004u)]
    [TestCase(true, BusFunction.Backplane, 0x1000E, 1, 0xD8007001u)]
    [TestCase(false, BusFunction.Wlan, 0, 2048, 0x60000000u)]
    public void CommandWord_PacksTheFields(bool write, BusFunction function, int address, int length, uint expected)
    {
        var command = new GspiCommand(write, function, address, length);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(command.ToUInt32(), Is.EqualTo(expected));
            Assert.That(new GspiCommand(expected).Address, Is.EqualTo(address));
            Assert.That(new GspiCommand(expected).Length, Is.EqualTo(length), "a length field of 0 means 2048");
            Assert.That(new GspiCommand(expected).Function, Is.EqualTo(function));
        }
    }

    [Test]
    public void StatusWord_CarriesTheF2PacketLengthInBits19To9()
    {
        var status = new GspiStatus(0x20 | 0x100 | 1514u << 9);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status.F2ReceiveReady, Is.True);
            Assert.That(status.F2PacketAvailable, Is.True);
            Assert.That(status.F2PacketLength, Is.EqualTo(1514));
        }
    }
}
