using Seqs.Wire;

namespace Seqs.Mdns;

/// <summary>
/// RFC 6762 §6: "a Multicast DNS responder MUST NOT (except in the one special case of answering probe queries)
/// multicast a record on a given interface until at least one second has elapsed since the last time that record
/// was multicast on that particular interface"; an answer defending the name against a probe may go after 250 ms.
/// An answer asked for sooner is held, not dropped: one held answer, sent when the limit allows, serves every query
/// that arrives meanwhile, so a query flood costs the link one answer a second and the responder one timer.
/// </summary>
public sealed partial class MdnsResponder
{
    private static readonly TimeSpan s_multicastInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_probeDefenceInterval = TimeSpan.FromMilliseconds(250);

    private TimeSpan _lastMulticast;
    // The record data last multicast: a record with new data (a new address) is another record, not limited by the old one's time.
    private Ipv4Address? _lastMulticastAddress;
    private TimeSpan? _heldAnswerDue;

    private void MulticastAnswer(Ipv4Address address, bool defendingAgainstProbe)
    {
        TimeSpan allowedAt = _lastMulticast + (defendingAgainstProbe ? s_probeDefenceInterval : s_multicastInterval);
        if (_lastMulticastAddress != address || Stack.Loop.Now >= allowedAt)
        {
            MulticastRecord(ttl: HostRecordTtl, address);
            return;
        }
        if (_heldAnswerDue is { } due)
        {
            Counters.AnswersCoalesced++;
            if (allowedAt >= due)
                return;
        }
        else
        {
            Counters.AnswersDelayed++;
        }
        _heldAnswerDue = allowedAt;
        _heldAnswerTimer.Schedule(allowedAt);
    }

    private void OnHeldAnswerDue()
    {
        _heldAnswerDue = null;
        if (State is MdnsResponderState.Announcing or MdnsResponderState.Ready && OwnAddress is { } address)
            MulticastRecord(HostRecordTtl, address);
    }

    /// <summary>Sends the A record to 224.0.0.251 (an answer, an announcement or a goodbye); this answers anything held.</summary>
    private void MulticastRecord(uint ttl, Ipv4Address address)
    {
        SendResponse(s_multicast, id: 0, question: false, ttl, cacheFlush: true, address);
        _lastMulticast = Stack.Loop.Now;
        _lastMulticastAddress = address;
        _heldAnswerDue = null;
        _heldAnswerTimer.Cancel();
    }
}
