using System.Net.Sockets;
using Seqs.Stack;

namespace Seqs.Wire;

/// <summary>
/// Ephemeral ports from the dynamic range (RFC 6056 §2.1, IANA 49152-65535). <see cref="Pick"/> is RFC 6056
/// §3.3.1's Algorithm 1, a random draw and then the next free port, for UDP binds; <see cref="PickFrom"/> scans from a
/// given place, for Algorithm 3 (TCP active opens). A value over the stack's <see cref="NonceSource"/>, so a seeded stack
/// draws the same ports on every run and a real one draws them from a cryptographic generator. Safe from any thread.
/// </summary>
internal readonly struct EphemeralPorts(NonceSource nonces)
{
    private const int First = 49152;
    private const int Count = 65536 - First;

    /// <summary>A random port for which <paramref name="inUse"/> says no, or the next one after it.</summary>
    public ushort Pick<TState>(TState state, Func<TState, ushort, bool> inUse)
    {
        return PickFrom(nonces.Next(Count), state, inUse, out _);
    }

    /// <summary>
    /// The first port at or after place <paramref name="start"/> of the range (modulo its size) for which
    /// <paramref name="inUse"/> says no, and how many places were <paramref name="tried"/>; TooManyOpenSockets when
    /// every port is taken.
    /// </summary>
    public static ushort PickFrom<TState>(int start, TState state, Func<TState, ushort, bool> inUse, out int tried)
    {
        for (tried = 1; tried <= Count; tried++)
        {
            ushort candidate = (ushort)(First + (int)((uint)(start + tried - 1) % Count));
            if (!inUse(state, candidate))
                return candidate;
        }
        throw new SocketException((int)SocketError.TooManyOpenSockets);
    }
}
