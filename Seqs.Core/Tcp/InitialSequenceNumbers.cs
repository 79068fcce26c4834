using Seqs.Wire;

namespace Seqs.Tcp;

/// <summary>
/// RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey), with M a 4 µs clock and F a keyed
/// pseudorandom function (SipHash-2-4, as Linux uses), so sequence numbers are unpredictable to off-path attackers
/// yet increase for one 4-tuple.
/// </summary>
internal readonly struct InitialSequenceNumbers(SequenceKey key)
{
    public SeqNumber For(Ipv4EndPoint local, Ipv4EndPoint remote, TimeSpan now)
    {
        uint f = (uint)key.Hash(local, remote, default);
        uint m = (uint)(now.Ticks / 40);
        return new SeqNumber(unchecked(m + f));
    }
}
