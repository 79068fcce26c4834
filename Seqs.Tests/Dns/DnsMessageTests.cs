using Seqs.Wire;

namespace Seqs.Tests.Dns;

public sealed class DnsMessageTests
{
    /// <summary>
    /// A response for "www.example.com" A, laid out as dnsmasq sends one (RFC 1035 §4.1.4 compression): the answer
    /// is a CNAME from www.example.com (pointer to the question, offset 12) to host.example.com ("host" plus a
    /// pointer to "example.com" at offset 16), then the A record of host.example.com (pointer to offset 45).
    /// </summary>
    private static readonly byte[] CnameResponse = Convert.FromHexString(
        "beef" + "8180" + "0001" + "0002" + "0000" + "0000" +
        "03777777076578616d706c6503636f6d00" + "0001" + "0001" +
        "c00c" + "0005" + "0001" + "00000e10" + "0007" + "04686f7374" + "c010" +
        "c02d" + "0001" + "0001" + "0000012c" + "0004" + "c0000201");

    [Test]
    public void CompressedResponse_DeconstructsEveryField()
    {
        Assert.That(DnsMessage.TryParse(CnameResponse, out DnsMessage message, out WireRejection rejection), Is.True, rejection.ToString());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Id, Is.EqualTo(0xBEEF));
            Assert.That(message.IsResponse, Is.True);
            Assert.That(message.Opcode, Is.EqualTo(DnsOpcode.Query));
            Assert.That(message.RecursionDesired && message.RecursionAvailable, Is.True);
            Assert.That(message.Truncated, Is.False);
            Assert.That(message.ResponseCode, Is.EqualTo(DnsResponseCode.NoError));
            Assert.That(message.QuestionCount, Is.EqualTo(1));
            Assert.That(message.AnswerCount, Is.EqualTo(2));
        }
        DnsRecordReader reader = message.Records;
        Assert.That(reader.TryReadQuestion(out DnsQuestion question), Is.True);
        Assert.That(question.Name.ToString(), Is.EqualTo("www.example.com"));
        Assert.That(question.Type, Is.EqualTo(DnsType.A));
        Assert.That(question.Class, Is.EqualTo(DnsClass.Internet));

        Assert.That(reader.TryReadRecord(out DnsRecord cname), Is.True);
        Assert.That(cname.Type, Is.EqualTo(DnsType.Cname));
        Assert.That(cname.Ttl, Is.EqualTo(3600));
        Assert.That(cname.Name.NameEquals(question.Name), Is.True);
        Assert.That(cname.TryGetTargetName(out DnsName target), Is.True);
        Assert.That(target.ToString(), Is.EqualTo("host.example.com"));
        Assert.That(target.WireLength, Is.EqualTo(18));

        Assert.That(reader.TryReadRecord(out DnsRecord a), Is.True);
        Assert.That(a.Section, Is.EqualTo(DnsSection.Answer));
        Assert.That(a.Name.NameEquals(target), Is.True);
        Assert.That(a.TryGetIpv4Address(out Ipv4Address address), Is.True);
        Assert.That(address, Is.EqualTo(new Ipv4Address(192, 0, 2, 1)));
        Assert.That(a.Ttl, Is.EqualTo(300));
        Assert.That(reader.TryReadRecord(out _), Is.False);
    }

    [Test]
    public void Query_IsWrittenAsRfc1035Lays_ItOut()
    {
        var buffer = new byte[64];
        var writer = new DnsMessageWriter(buffer, 0xBEEF, DnsMessage.ComposeFlags(response: false, recursionDesired: true));
        Assert.That(writer.TryWriteQuestion(DnsName.Encode("www.example.com")!, DnsType.A), Is.True);

        Assert.That(Convert.ToHexString(buffer, 0, writer.Length).ToLowerInvariant(),
            Is.EqualTo("beef0100000100000000000003777777076578616d706c6503636f6d0000010001"));
    }

    [Test]
    public void WrittenResponse_ParsesBack()
    {
        var buffer = new byte[128];
        byte[] name = DnsName.Encode("device.local")!;
        var writer = new DnsMessageWriter(buffer, 0, DnsMessage.ComposeFlags(response: true, authoritativeAnswer: true));
        Assert.That(writer.TryWriteAddressRecord(DnsSection.Answer, name, (ushort)DnsClass.Internet | DnsRecord.CacheFlushBit, 120, new Ipv4Address(10, 0, 0, 7)), Is.True);

        Assert.That(DnsMessage.TryParse(buffer.AsSpan(0, writer.Length), out DnsMessage message, out _), Is.True);
        DnsRecordReader reader = message.Records;
        Assert.That(reader.TryReadRecord(out DnsRecord record), Is.True);
        Assert.That(record.CacheFlush, Is.True);
        Assert.That(record.Class, Is.EqualTo(DnsClass.Internet));
        Assert.That(record.TryGetIpv4Address(out Ipv4Address address) && address == new Ipv4Address(10, 0, 0, 7), Is.True);
        Assert.That(message.AuthoritativeAnswer, Is.True);
    }

    [Test]
    public void WriterWithoutRoom_WritesNothingAndSaysSo()
    {
        var buffer = new byte[20];
        var writer = new DnsMessageWriter(buffer, 1, 0);
        Assert.That(writer.TryWriteQuestion(DnsName.Encode("www.example.com")!, DnsType.A), Is.False);
        Assert.That(writer.Length, Is.EqualTo(DnsMessage.HeaderLength));
    }

    [Test]
    public void PointerToItself_IsACompressionLoop()
    {
        byte[] message = Header(questions: 1, answers: 0).Concat(Convert.FromHexString("c00c00010001")).ToArray();
        AssertRejected(message, WireRejection.BadCompressionPointer);
    }

    [Test]
    public void TwoPointersToEachOther_AreACompressionLoop()
    {
        // Offset 12: label "a" then a pointer to 17; offset 17: a pointer back to 12.
        byte[] message = Header(questions: 1, answers: 0).Concat(Convert.FromHexString("0161c011c00c00010001")).ToArray();
        AssertRejected(message, WireRejection.BadCompressionPointer);
    }

    [Test]
    public void PointerIntoItsOwnLabels_IsACompressionLoop()
    {
        // "a" at 12, then a pointer to 12: reading again from 12 reaches the same pointer.
        byte[] message = Header(questions: 1, answers: 0).Concat(Convert.FromHexString("0161c00c00010001")).ToArray();
        AssertRejected(message, WireRejection.BadCompressionPointer);
    }

    [Test]
    public void ForwardPointer_IsRejected()
    {
        byte[] message = Header(questions: 1, answers: 0).Concat(Convert.FromHexString("c0140001000100")).ToArray();
        AssertRejected(message, WireRejection.BadCompressionPointer);
    }

    [Test]
    public void NameOver255Octets_IsRejected()
    {
        // Five 63-octet labels: 5 × 64 + 1 = 321 octets.
        var name = new List<byte>();
        for (int i = 0; i < 5; i++)
        {
            name.Add(63);
            name.AddRange(Enumerable.Repeat((byte)'x', 63));
        }
        name.Add(0);
        byte[] message = Header(questions: 1, answers: 0).Concat(name).Concat(new byte[] { 0, 1, 0, 1 }).ToArray();
        AssertRejected(message, WireRejection.NameTooLong);
    }

    [Test]
    public void NameMadeLongByPointers_IsRejected()
    {
        // A 63-octet label, then each later name adds a label and points at the previous one: the names grow
        // by 64 octets each without any loop, and the fifth is over 255.
        var bytes = new List<byte>(Header(questions: 5, answers: 0));
        int previous = bytes.Count;
        bytes.Add(63);
        bytes.AddRange(Enumerable.Repeat((byte)'x', 63));
        bytes.Add(0);
        bytes.AddRange(new byte[] { 0, 1, 0, 1 });
        for (int i = 0; i < 4; i++)
        {
            int here = bytes.Count;
            bytes.Add(63);
            bytes.AddRange(Enumerable.Repeat((byte)'y', 63));
            bytes.Add((byte)(0xC0 | (previous >> 8)));
            bytes.Add((byte)previous);
            bytes.AddRange(new byte[] { 0, 1, 0, 1 });
            previous = here;
        }
        AssertRejected(bytes.ToArray(), WireRejection.NameTooLong);
    }

    [TestCase("40")]
    [TestCase("80")]
    public void ReservedLabelTypes_AreRejected(string lengthOctet)
    {
        byte[] message = Header(questions: 1, answers: 0).Concat(Convert.FromHexString(lengthOctet + "0000010001")).ToArray();
        AssertRejected(message, WireRejection.BadLabel);
    }

    [Test]
    public void LabelPastTheEnd_IsRejected()
    {
        byte[] message = Header(questions: 1, answers: 0).Concat(Convert.FromHexString("05616263")).ToArray();
        AssertRejected(message, WireRejection.BadLabel);
    }

    [Test]
    public void RdLengthPastTheEnd_IsRejected()
    {
        byte[] message = CnameResponse.ToArray();
        message[^5] = 0x40;
        AssertRejected(message, WireRejection.BadRecordLength);
    }

    [Test]
    public void MoreRecordsCountedThanPresent_IsTruncated()
    {
        byte[] message = CnameResponse.ToArray();
        message[7] = 3;
        AssertRejected(message, WireRejection.Truncated);
    }

    [Test]
    public void HeaderShorterThan12Octets_IsTruncated() => AssertRejected(new byte[11], WireRejection.Truncated);

    [Test]
    public void CnameWhoseTargetRunsPastItsRData_HasNoTarget()
    {
        byte[] message = CnameResponse.ToArray();
        message[44] = 6; // RDLENGTH 7 -> 6, and the pointer's second octet removed: the name runs out of RDATA
        byte[] shortened = message.Take(51).Concat(message.Skip(52)).ToArray();
        shortened[52] = 0x0C; // the A record now points at the question's name
        Assert.That(DnsMessage.TryParse(shortened, out DnsMessage parsed, out WireRejection rejection), Is.True, rejection.ToString());
        DnsRecordReader reader = parsed.Records;
        Assert.That(reader.TryReadRecord(out DnsRecord cname), Is.True);
        Assert.That(cname.TryGetTargetName(out _), Is.False);
    }

    [Test]
    public void SoaInAuthority_GivesTheSmallerOfTtlAndMinimum()
    {
        var buffer = new byte[128];
        var writer = new DnsMessageWriter(buffer, 1, DnsMessage.ComposeFlags(response: true, responseCode: DnsResponseCode.NameError));
        writer.TryWriteQuestion(DnsName.Encode("nope.example")!, DnsType.A);
        byte[] soa = [.. DnsName.Encode("ns.example")!, .. DnsName.Encode("admin.example")!, .. Convert.FromHexString("00000001" + "00000e10" + "00000384" + "00093a80" + "0000003c")];
        writer.TryWriteRecord(DnsSection.Authority, DnsName.Encode("example")!, DnsType.Soa, 1, 600, soa);

        Assert.That(DnsMessage.TryParse(buffer.AsSpan(0, writer.Length), out DnsMessage message, out _), Is.True);
        DnsRecordReader reader = message.Records;
        Assert.That(reader.TryReadRecord(out DnsRecord record), Is.True);
        Assert.That(record.TryGetNegativeTtl(out uint seconds), Is.True);
        Assert.That(seconds, Is.EqualTo(60));
    }

    [Test]
    public void TtlWithTopBitSet_ReadsAsZero()
    {
        byte[] message = CnameResponse.ToArray();
        message[39] = 0x80; // the CNAME's TTL
        Assert.That(DnsMessage.TryParse(message, out DnsMessage parsed, out _), Is.True);
        DnsRecordReader reader = parsed.Records;
        reader.TryReadRecord(out DnsRecord cname);
        Assert.That(cname.Ttl, Is.Zero);
    }

    [TestCase("www.example.com", true)]
    [TestCase("www.example.com.", true)]
    [TestCase(".", true)]
    [TestCase("", true)]
    [TestCase("a..b", false)]
    [TestCase(".a", false)]
    [TestCase("a.b..", false)]
    [TestCase("bad name.example", false)]
    [TestCase("caf\u00e9.example", false)]
    public void TryEncode_AcceptsOnlyValidNames(string text, bool valid) =>
        Assert.That(DnsName.TryEncode(text, new byte[256], out _), Is.EqualTo(valid));

    [Test]
    public void TryEncode_RejectsLabelsOver63AndNamesOver255()
    {
        Assert.That(DnsName.TryEncode(new string('x', 63) + ".com", new byte[256], out int written), Is.True);
        Assert.That(written, Is.EqualTo(69));
        Assert.That(DnsName.TryEncode(new string('x', 64) + ".com", new byte[256], out _), Is.False);
        string longest = string.Join('.', Enumerable.Repeat(new string('x', 63), 3)) + "." + new string('y', 61);
        Assert.That(DnsName.TryEncode(longest, new byte[256], out written), Is.True);
        Assert.That(written, Is.EqualTo(255));
        Assert.That(DnsName.TryEncode(longest + "y", new byte[256], out _), Is.False);
    }

    [Test]
    public void NameEquals_IgnoresAsciiCaseOnly()
    {
        Assert.That(DnsMessage.TryParse(CnameResponse, out DnsMessage message, out _), Is.True);
        DnsRecordReader reader = message.Records;
        reader.TryReadQuestion(out DnsQuestion question);
        Assert.That(question.Name.NameEquals(DnsName.Encode("WWW.Example.COM")), Is.True);
        Assert.That(question.Name.NameEquals(DnsName.Encode("www.example.co")), Is.False);
        Assert.That(question.Name.NameEquals(DnsName.Encode("www.example.com.au")), Is.False);
    }

    [Test]
    public void ToString_DescribesGoodAndMalformedMessages()
    {
        Assert.That(DnsMessage.TryParse(CnameResponse, out DnsMessage message, out _), Is.True);
        Assert.That(message.ToString(), Is.EqualTo("DNS response id 0xbeef Query NoError qd 1 an 2 ns 0 ar 0"));
    }

    [Test]
    public void RandomAndMutatedInput_NeverThrows()
    {
        var random = new Random(5);
        var buffer = new byte[600];
        for (int i = 0; i < 20_000; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = random.Next(buffer.Length);
                random.NextBytes(buffer.AsSpan(0, length));
            }
            else
            {
                length = CnameResponse.Length;
                CnameResponse.CopyTo(buffer, 0);
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                    buffer[random.Next(length)] = (byte)random.Next(256);
            }
            if (!DnsMessage.TryParse(buffer.AsSpan(0, length), out DnsMessage message, out _))
                continue;
            _ = message.ToString();
            DnsRecordReader reader = message.Records;
            while (reader.TryReadQuestion(out DnsQuestion q))
                _ = q.Name.ToString();
            while (reader.TryReadRecord(out DnsRecord r))
            {
                _ = r.ToString();
                r.TryGetTargetName(out DnsName target);
                r.TryGetNegativeTtl(out _);
                r.TryGetIpv4Address(out _);
                _ = r.Name.WireLength;
            }
        }
    }

    private static byte[] Header(int questions, int answers) =>
        [0x12, 0x34, 0x81, 0x80, 0, (byte)questions, 0, (byte)answers, 0, 0, 0, 0];

    private static void AssertRejected(byte[] message, WireRejection expected)
    {
        Assert.That(DnsMessage.TryParse(message, out DnsMessage parsed, out WireRejection rejection), Is.False);
        Assert.That(rejection, Is.EqualTo(expected));
        Assert.That(parsed.ToString(), Does.Contain("malformed").Or.Empty);
    }
}
