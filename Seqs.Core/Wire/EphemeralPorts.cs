using System.Net.Sockets;

namespace Seqs.Wire;

/// <summary>
/// RFC 6056 §3.3.1, Algorithm 1: ephemeral ports drawn at random from the dynamic range (RFC 6056 §2.1, IANA
/// 49152-65535), then the next one after the draw that is free, for UDP binds and TCP active opens. A value over the
/// stack's random source, so a seeded stack draws the same ports on every run. Safe from any thread.
/// </summary>
internal readonly struct EphemeralPorts(Random random)
{
    private const int First = 49152;
    private const int Count = 65536 - First;

    /// <summary>A port for which <paramref name="inUse"/> says no; TooManyOpenSockets when every port is taken.</summary>
    public ushort Pick<TState>(TState state, Func<TState, ushort, bool> inUse)
    {
        int offset;
        lock (random)
            offset = random.Next(Count);
        for (int i = 0; i < Count; i++)
        {
            ushort candidate = (ushort)(First + (offset + i) % Count);
            if (!inUse(state, candidate))
                return candidate;
        }
        throw new SocketException((int)SocketError.TooManyOpenSockets);
    }
}
