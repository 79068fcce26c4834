using System.Text;
using Seqs.Diagnostics;

namespace Seqs.Tests.Diagnostics;

public sealed class PeerTextTests
{
    [Test]
    public void SsidWithEscapeSequencesAndNewlines_PrintsAsOneInertLine()
    {
        // A hostile access point: clear the screen, recolour, and forge a second line of output.
        string ssid = "free\u001b[2J\u001b[31mwifi\r\nhome  00:11:22:33:44:55  6  -40 dBm  WPA2\u0007";

        string shown = PeerText.Escape(ssid);

        Assert.That(shown, Is.EqualTo(@"free\x1B[2J\x1B[31mwifi\x0D\x0Ahome  00:11:22:33:44:55  6  -40 dBm  WPA2\x07"));
        Assert.That(shown.Any(char.IsControl), Is.False);
    }

    [TestCase("plain-ssid", "plain-ssid")]
    [TestCase(@"back\slash", @"back\\slash")]
    [TestCase("tab\there", @"tab\x09here")]
    [TestCase("del\u007f", @"del\x7F")]
    [TestCase("c1\u009b31m", @"c1\xC2\x9B31m")]
    [TestCase("bidi\u202egnp.exe", @"bidi\xE2\x80\xAEgnp.exe")]
    [TestCase("line\u2028sep", @"line\xE2\x80\xA8sep")]
    [TestCase("café ☕ 日本 😀", "café ☕ 日本 😀")]
    public void Escape_KeepsPrintableTextAndEscapesTheRest(string text, string expected)
    {
        Assert.That(PeerText.Escape(text), Is.EqualTo(expected));
    }

    [Test]
    public void InvalidUtf8_IsShownByteByByte()
    {
        byte[] bytes = [(byte)'a', 0xFF, 0xC0, 0xAF, (byte)'b', 0xE2, 0x82, (byte)'c', 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80, 0xC3];

        Assert.That(PeerText.Escape(bytes), Is.EqualTo(@"a\xFF\xC0\xAFb\xE2\x82c\xED\xA0\x80\xF4\x90\x80\x80\xC3"));
    }

    [Test]
    public void ValidUtf8Bytes_DecodeAsTheString()
    {
        Assert.That(PeerText.Escape(Encoding.UTF8.GetBytes("Zürich-Gäste")), Is.EqualTo("Zürich-Gäste"));
    }
}
