using Seqs.Wire;

namespace Seqs.Dns;

public sealed partial class DnsResolver
{
    private enum OutcomeKind
    {
        Addresses,
        Restart,
        NameError,
        NoData,
        Truncated,
        ServerFailure,
        ChainTooLong,
        NoServers,
        TimedOut,
    }

    /// <summary>What one accepted response (or the lack of one) means for the lookup.</summary>
    private readonly record struct Outcome(
        OutcomeKind Kind,
        Ipv4Address[]? Addresses = null,
        uint TtlSeconds = uint.MaxValue,
        bool HasNegativeTtl = false,
        byte[]? CanonicalName = null,
        int Hops = 0);

    /// <summary>
    /// Checks a datagram from the server against the query and reads it. Null means "not the answer": it is
    /// counted and the wait goes on. RFC 5452 §9.1: the response must carry the query's ID and exactly its
    /// question (name without regard to case, type and class).
    /// </summary>
    private Outcome? Accept(ReadOnlySpan<byte> datagram, ushort id, ReadOnlySpan<byte> wireName, int hopsLeft)
    {
        if (!DnsMessage.TryParse(datagram, out DnsMessage message, out _))
        {
            Counters.Malformed++;
            return null;
        }
        if (message.Id != id)
        {
            Counters.WrongId++;
            return null;
        }
        DnsRecordReader reader = message.Records;
        if (!message.IsResponse || message.Opcode != DnsOpcode.Query || message.QuestionCount != 1
            || !reader.TryReadQuestion(out DnsQuestion question)
            || question.Type != DnsType.A || question.RawClass != (ushort)DnsClass.Internet || !question.Name.NameEquals(wireName))
        {
            Counters.QuestionMismatch++;
            return null;
        }
        Counters.ResponsesAccepted++;
        // RFC 2181 §9: a truncated response is not to be used or cached as if complete.
        if (message.Truncated)
        {
            Counters.TruncatedResponses++;
            return new Outcome(OutcomeKind.Truncated);
        }
        switch (message.ResponseCode)
        {
            case DnsResponseCode.NoError:
                return ReadAnswers(message, question.Name, hopsLeft);
            case DnsResponseCode.NameError:
                Counters.NameErrors++;
                return Negative(message, OutcomeKind.NameError);
            default:
                Counters.ServerFailures++;
                return new Outcome(OutcomeKind.ServerFailure);
        }
    }

    /// <summary>
    /// Follows the CNAME chain from the question (RFC 1034 §3.6.2, §5.3.3) through the answer section and takes
    /// the A records of the name it ends at. The TTL is the smallest of every record used.
    /// </summary>
    private Outcome ReadAnswers(DnsMessage message, DnsName question, int hopsLeft)
    {
        Span<int> chain = stackalloc int[Math.Min(hopsLeft, 32) + 1];
        chain[0] = question.Offset;
        int links = 1;
        DnsName current = question;
        uint ttl = uint.MaxValue;
        while (TryFindCname(message, current, out DnsName target, out uint cnameTtl))
        {
            if (links == chain.Length || InChain(message, chain[..links], target))
                return new Outcome(OutcomeKind.ChainTooLong);
            chain[links++] = target.Offset;
            current = target;
            ttl = Math.Min(ttl, cnameTtl);
        }

        int count = 0;
        DnsRecordReader reader = message.Records;
        while (reader.TryReadRecord(out DnsRecord record) && record.Section == DnsSection.Answer)
        {
            if (record.TryGetIpv4Address(out _) && record.Name.NameEquals(current))
                count++;
            else if (!InChain(message, chain[..links], record.Name))
                Counters.UnrelatedRecords++;
        }
        if (count > 0)
        {
            var addresses = new Ipv4Address[count];
            int index = 0;
            reader = message.Records;
            while (reader.TryReadRecord(out DnsRecord record) && record.Section == DnsSection.Answer)
            {
                if (record.TryGetIpv4Address(out Ipv4Address address) && record.Name.NameEquals(current))
                {
                    addresses[index++] = address;
                    ttl = Math.Min(ttl, record.Ttl);
                }
            }
            return new Outcome(OutcomeKind.Addresses, addresses, ttl);
        }
        int hops = links - 1;
        if (hops > 0 && !HasSoa(message))
        {
            // The server gave the chain but not the data at its end: ask for the canonical name itself.
            var canonical = new byte[current.WireLength];
            current.TryCopyTo(canonical, out _);
            return new Outcome(OutcomeKind.Restart, TtlSeconds: ttl, CanonicalName: canonical, Hops: hops);
        }
        Outcome negative = Negative(message, OutcomeKind.NoData);
        return negative with { TtlSeconds = Math.Min(ttl, negative.TtlSeconds) };
    }

    /// <summary>RFC 2308 §5: a negative answer is cached for the SOA's TTL or MINIMUM, whichever is smaller.</summary>
    private static Outcome Negative(DnsMessage message, OutcomeKind kind)
    {
        DnsRecordReader reader = message.Records;
        while (reader.TryReadRecord(out DnsRecord record))
        {
            if (record.Section == DnsSection.Authority && record.TryGetNegativeTtl(out uint seconds))
                return new Outcome(kind, TtlSeconds: seconds, HasNegativeTtl: true);
        }
        return new Outcome(kind);
    }

    private static bool HasSoa(DnsMessage message)
    {
        DnsRecordReader reader = message.Records;
        while (reader.TryReadRecord(out DnsRecord record))
        {
            if (record.Section == DnsSection.Authority && record.Type == DnsType.Soa)
                return true;
        }
        return false;
    }

    private static bool TryFindCname(DnsMessage message, DnsName owner, out DnsName target, out uint ttl)
    {
        DnsRecordReader reader = message.Records;
        while (reader.TryReadRecord(out DnsRecord record) && record.Section == DnsSection.Answer)
        {
            if (record.Type == DnsType.Cname && record.Class == DnsClass.Internet && record.Name.NameEquals(owner) && record.TryGetTargetName(out target))
            {
                ttl = record.Ttl;
                return true;
            }
        }
        target = default;
        ttl = 0;
        return false;
    }

    private static bool InChain(DnsMessage message, ReadOnlySpan<int> chain, DnsName name)
    {
        foreach (int offset in chain)
        {
            if (DnsName.Unchecked(message.Bytes, offset).NameEquals(name))
                return true;
        }
        return false;
    }
}
