using Seqs.Wire;

namespace Seqs.Tests.Wire;

public sealed class Ipv4AddressTests
{
    [TestCase("10.0.0.1", 0x0A000001u)]
    [TestCase("255.255.255.255", 0xFFFFFFFFu)]
    [TestCase("0.0.0.0", 0u)]
    public void DottedQuad_ParsesToHostOrderValue(string text, uint expected)
    {
        Assert.That(Ipv4Address.TryParse(text.AsSpan(), out Ipv4Address address), Is.True);
        Assert.That(address.Value, Is.EqualTo(expected));
        Assert.That(address.ToString(), Is.EqualTo(text));
    }

    [TestCase("10.0.0")]
    [TestCase("10.0.0.256")]
    [TestCase("10.0.0.1.")]
    [TestCase("10..0.1")]
    [TestCase("")]
    [TestCase("1000.0.0.1")]
    [TestCase(" 10.0.0.1")]
    public void MalformedText_IsRejected(string text) =>
        Assert.That(Ipv4Address.TryParse(text.AsSpan(), out _), Is.False);

    [Test]
    public void Cidr_KnowsItsSubnet()
    {
        Assert.That(Ipv4Cidr.TryParse("192.168.1.10/24", out Ipv4Cidr cidr), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(cidr.Netmask, Is.EqualTo(new Ipv4Address(255, 255, 255, 0)));
            Assert.That(cidr.DirectedBroadcast, Is.EqualTo(new Ipv4Address(192, 168, 1, 255)));
            Assert.That(cidr.Contains(new Ipv4Address(192, 168, 1, 200)), Is.True);
            Assert.That(cidr.Contains(new Ipv4Address(192, 168, 2, 1)), Is.False);
        });
    }

    [Test]
    public void MacAddress_RoundTripsThroughText()
    {
        var mac = MacAddress.Parse("02:00:5e:10:00:01");
        Assert.That(mac.ToString(), Is.EqualTo("02:00:5e:10:00:01"));
        Assert.That(mac.IsMulticast, Is.False);
        Assert.That(MacAddress.Parse("01:00:5e:00:00:fb").IsMulticast, Is.True);
    }
}
