using Seqs.Services;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Simulation;

/// <summary>
/// A small recursive-server stand-in for simulations: answers A queries from <see cref="Hosts"/> and
/// <see cref="Cnames"/> (adding the whole chain, as recursive servers do), NXDOMAIN with an SOA otherwise, and
/// misbehaves on request: drops queries, sends forged answers first, truncates, fails.
/// </summary>
public sealed class SimulatedDnsServer : UdpServer
{
    private readonly UdpSocket _forger;

    public SimulatedDnsServer(NetStack stack)
        : base(stack, 53)
    {
        _forger = new UdpSocket(stack);
        _forger.Bind(5300);
    }

    public Dictionary<string, Ipv4Address[]> Hosts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> Cnames { get; } = new(StringComparer.OrdinalIgnoreCase);

    public uint Ttl { get; set; } = 300;

    /// <summary>The SOA MINIMUM sent with negative answers.</summary>
    public uint NegativeTtl { get; set; } = 60;

    /// <summary>Queries to ignore before answering again.</summary>
    public int DropNext { get; set; }

    /// <summary>Answer a CNAME with the CNAME record only, leaving the resolver to ask for the target.</summary>
    public bool ChainOnly { get; set; }

    public bool Truncate { get; set; }

    public DnsResponseCode? FailWith { get; set; }

    /// <summary>Before each answer, send one with another ID, one from another port, one for another question and one with an unrelated record.</summary>
    public bool ForgeFirst { get; set; }

    public List<(string Name, ushort Id, ushort SourcePort)> Queries { get; } = [];

    protected override void OnDatagram(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender)
    {
        if (!DnsMessage.TryParse(datagram, out DnsMessage query, out _) || query.IsResponse)
            return;
        DnsRecordReader reader = query.Records;
        if (!reader.TryReadQuestion(out DnsQuestion question))
            return;
        string name = question.Name.ToString();
        Queries.Add((name, query.Id, sender.Port));
        if (DropNext > 0)
        {
            DropNext--;
            return;
        }
        Span<byte> buffer = stackalloc byte[512];
        if (ForgeFirst)
        {
            Socket.SendTo(buffer[..Answer(buffer, (ushort)(query.Id ^ 0x5555), name, name)], sender);
            _forger.SendTo(buffer[..Answer(buffer, query.Id, name, name)], sender);
            Socket.SendTo(buffer[..Answer(buffer, query.Id, "other.example", "other.example")], sender);
        }
        Socket.SendTo(buffer[..Answer(buffer, query.Id, name, name, addUnrelated: ForgeFirst)], sender);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _forger.Dispose();
        base.Dispose(disposing);
    }

    private int Answer(Span<byte> buffer, ushort id, string questionName, string name, bool addUnrelated = false)
    {
        var flags = DnsResponseCode.NoError;
        var records = new List<(string Owner, DnsType Type, byte[] Data)>();
        for (int hops = 0; FailWith is null && hops < 20; hops++)
        {
            if (Cnames.TryGetValue(name, out string? target))
            {
                records.Add((name, DnsType.Cname, DnsName.Encode(target)!));
                name = target;
                if (ChainOnly)
                    break;
                continue;
            }
            if (Hosts.TryGetValue(name, out Ipv4Address[]? addresses))
            {
                foreach (Ipv4Address address in addresses)
                    records.Add((name, DnsType.A, [.. address.ToIPAddress().GetAddressBytes()]));
            }
            else
            {
                flags = DnsResponseCode.NameError;
            }
            break;
        }
        if (addUnrelated)
            records.Add(("evil.example", DnsType.A, [6, 6, 6, 6]));
        var writer = new DnsMessageWriter(buffer, id, DnsMessage.ComposeFlags(response: true, truncated: Truncate, recursionDesired: true,
            recursionAvailable: true, responseCode: FailWith ?? flags));
        writer.TryWriteQuestion(DnsName.Encode(questionName)!, DnsType.A);
        foreach ((string owner, DnsType type, byte[] data) in records)
            writer.TryWriteRecord(DnsSection.Answer, DnsName.Encode(owner)!, type, (ushort)DnsClass.Internet, Ttl, data);
        if (flags == DnsResponseCode.NameError && FailWith is null)
        {
            byte[] soa = [.. DnsName.Encode("ns.example")!, .. DnsName.Encode("admin.example")!, 0, 0, 0, 1, 0, 0, 14, 16, 0, 0, 3, 132, 0, 9, 58, 128,
                (byte)(NegativeTtl >> 24), (byte)(NegativeTtl >> 16), (byte)(NegativeTtl >> 8), (byte)NegativeTtl];
            writer.TryWriteRecord(DnsSection.Authority, DnsName.Encode("example")!, DnsType.Soa, (ushort)DnsClass.Internet, 3600, soa);
        }
        return writer.Length;
    }
}
