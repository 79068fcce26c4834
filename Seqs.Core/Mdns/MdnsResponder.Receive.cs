using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Mdns;

public sealed partial class MdnsResponder
{
    protected override void OnDatagram(ReadOnlySpan<byte> datagram, Ipv4EndPoint sender)
    {
        if (State == MdnsResponderState.Ready && OwnAddress is { } current && current != _announced)
            BeginAnnouncing();
        if (!DnsMessage.TryParse(datagram, out DnsMessage message, out _))
        {
            Counters.Malformed++;
            return;
        }
        // RFC 6762 §18.3 and §18.11: messages with a non-zero OPCODE or RCODE MUST be silently ignored.
        if (message.Opcode != DnsOpcode.Query || message.ResponseCode != DnsResponseCode.NoError)
        {
            Counters.Ignored++;
            return;
        }
        if (message.IsResponse)
        {
            // RFC 6762 §11: a response sent to 224.0.0.251 can only have come from the link, whatever its source;
            // one sent to this host's address is from the link only when its source is on the interface's subnet.
            // Anything else is spoofing from afar and MUST be silently discarded.
            if (!DatagramDestination.IsMulticast && !IsOnSubnet(sender.Address))
            {
                Counters.OffLink++;
                return;
            }
            OnResponse(message);
        }
        else
            OnQuery(message, sender);
    }

    /// <summary>RFC 6762 §9: another host's A record for our name with other data is a conflict.</summary>
    private void OnResponse(DnsMessage message)
    {
        if (State == MdnsResponderState.Stopped || OwnAddress is not { } address)
            return;
        DnsRecordReader reader = message.Records;
        while (reader.TryReadRecord(out DnsRecord record))
        {
            if (record.Name.NameEquals(_name) && record.TryGetIpv4Address(out Ipv4Address theirs) && theirs != address)
            {
                OnConflict();
                return;
            }
        }
    }

    private void OnQuery(DnsMessage message, Ipv4EndPoint sender)
    {
        if (OwnAddress is not { } address)
            return;
        if (State == MdnsResponderState.Probing)
        {
            OnProbeWhileProbing(message, address);
            return;
        }
        if (State == MdnsResponderState.Stopped)
            return;
        bool asked = false;
        bool unicast = false;
        DnsRecordReader reader = message.Records;
        while (reader.TryReadQuestion(out DnsQuestion question))
        {
            if (question.Type is DnsType.A or DnsType.Any && question.Class is DnsClass.Internet or DnsClass.Any && question.Name.NameEquals(_name))
            {
                asked = true;
                unicast |= question.UnicastResponse;
            }
        }
        if (!asked)
            return;
        bool legacy = sender.Port != MdnsPort;
        // RFC 6762 §5.5 and §11: a query sent straight to port 5353 from off the link is silently ignored. The
        // answer may go back to the source, so a query is answered only from a source on the subnet, however sent.
        if (!IsOnSubnet(sender.Address))
        {
            Counters.OffLink++;
            return;
        }
        if (!legacy && KnowsTheAnswer(message, address))
        {
            Counters.KnownAnswersSuppressed++;
            return;
        }
        Counters.QueriesAnswered++;
        if (legacy)
        {
            // RFC 6762 §6.7: a one-shot resolver gets a unicast reply with its ID and question, a short TTL, and
            // no cache-flush bit (§10.2).
            SendResponse(sender, message.Id, question: true, LegacyUnicastTtl, cacheFlush: false, address);
        }
        else if (unicast)
        {
            SendResponse(sender, id: 0, question: false, HostRecordTtl, cacheFlush: true, address);
        }
        else
        {
            MulticastAnswer(address, defendingAgainstProbe: IsProbeFor(message));
        }
    }

    private bool IsOnSubnet(Ipv4Address source) => Stack.Address is not { } own || own.Contains(source);

    /// <summary>RFC 6762 §8.1: a probe carries the records it proposes for the name in its authority section.</summary>
    private bool IsProbeFor(DnsMessage query)
    {
        DnsRecordReader reader = query.Records;
        while (reader.TryReadRecord(out DnsRecord record))
        {
            if (record.Section == DnsSection.Authority && record.Name.NameEquals(_name))
                return true;
        }
        return false;
    }

    /// <summary>RFC 6762 §7.1: the querier lists our record with at least half its TTL left, so it needs no answer.</summary>
    private bool KnowsTheAnswer(DnsMessage query, Ipv4Address address)
    {
        DnsRecordReader reader = query.Records;
        while (reader.TryReadRecord(out DnsRecord record) && record.Section == DnsSection.Answer)
        {
            if (record.TryGetIpv4Address(out Ipv4Address known) && known == address && record.Ttl >= HostRecordTtl / 2 && record.Name.NameEquals(_name))
                return true;
        }
        return false;
    }

    /// <summary>
    /// RFC 6762 §8.2: two hosts probing for the same name compare their proposed records; the
    /// lexicographically later data wins, and the loser waits a second and probes again.
    /// </summary>
    private void OnProbeWhileProbing(DnsMessage message, Ipv4Address address)
    {
        Span<byte> ours = stackalloc byte[Ipv4Address.Length];
        address.Write(ours);
        DnsRecordReader reader = message.Records;
        while (reader.TryReadRecord(out DnsRecord record))
        {
            if (record.Section != DnsSection.Authority || !record.Name.NameEquals(_name))
                continue;
            int order = ((ushort)record.Class).CompareTo((ushort)DnsClass.Internet);
            if (order == 0)
                order = ((ushort)record.Type).CompareTo((ushort)DnsType.A);
            if (order == 0)
                order = record.RData.SequenceCompareTo(ours);
            if (order > 0)
            {
                Counters.TiebreaksLost++;
                BeginProbing(s_tiebreakDelay);
            }
            return;
        }
    }
}
