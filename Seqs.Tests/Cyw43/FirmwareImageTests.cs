using Seqs.Drivers.Cyw43;

namespace Seqs.Tests.Cyw43;

public sealed class FirmwareImageTests
{
    [TestCase(742, 0x7FD14u, 0xFF45_00BAu)]
    [TestCase(4, 0x7FFF8u, 0xFFFE_0001u)]
    [TestCase(5, 0x7FFF4u, 0xFFFD_0002u)]
    public void Nvram_GoesUnderTheFooter_WhichHoldsItsWordCountAndComplement(int length, uint address, uint footer)
    {
        // embassy runner.rs Runner::init; docs/reference/cyw43439.md#boot-sequence step 6: NVRAM at 0x80000 - 4 - len,
        // footer (~(len/4) << 16) | (len/4), len padded to 4.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Cyw43Firmware.NvramAddress(length), Is.EqualTo(address));
            Assert.That(Cyw43Firmware.NvramFooter(length), Is.EqualTo(footer));
        }
    }

    [Test]
    public void MissingFile_SaysWhereTheBlobsComeFrom()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Cyw43Firmware.FromFiles("/nonexistent/43439A0.bin", "/nonexistent/nvram.bin"))!;

        Assert.That(error.Message, Does.Contain("README").And.Contain("43439A0.bin"));
    }

    [Test]
    public void Files_AreReadAsGiven()
    {
        string directory = Directory.CreateTempSubdirectory("cyw43").FullName;
        try
        {
            string firmwarePath = Path.Combine(directory, "fw.bin");
            string nvramPath = Path.Combine(directory, "nvram.bin");
            File.WriteAllBytes(firmwarePath, SyntheticFirmware.Bytes(1000, seed: 3));
            File.WriteAllBytes(nvramPath, SyntheticFirmware.Nvram(742));

            var images = Cyw43Firmware.FromFiles(firmwarePath, nvramPath);

            Assert.That(images.Firmware.ToArray(), Is.EqualTo(SyntheticFirmware.Bytes(1000, seed: 3)).AsCollection);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void ImagesTooLargeForRam_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => _ = new Cyw43Firmware(new byte[512 * 1024], SyntheticFirmware.Nvram(742)));
    }

    [Test]
    public void EmptyImages_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => _ = new Cyw43Firmware(Array.Empty<byte>(), SyntheticFirmware.Nvram(742)));
        Assert.Throws<ArgumentException>(() => _ = new Cyw43Firmware(new byte[16], Array.Empty<byte>()));
    }
}
