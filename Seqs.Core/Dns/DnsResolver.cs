using System.Buffers;
using System.Collections.ObjectModel;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Dns;

/// <summary>
/// A stub resolver (RFC 1034 §5.3.1) for IPv4 addresses over UDP. Each query goes out from a fresh socket, so it
/// has a random source port, and carries a random ID (RFC 5452 §9.2); an answer counts only if it comes from the
/// server asked, on port 53, with that ID and that question (RFC 5452 §9.1). CNAME chains are followed, servers
/// are tried in turn with a timeout each, and answers are cached for their TTL, negative ones per RFC 2308.
/// A lookup the cache can answer completes synchronously without allocating.
/// </summary>
public sealed partial class DnsResolver
{
    /// <summary>The DNS server port (RFC 1035 §4.2.1).</summary>
    public const ushort ServerPort = 53;

    private static readonly ReadOnlyCollection<Ipv4Address> s_none = new([]);

    private readonly NetStack _stack;
    private readonly DnsResolverOptions _options;
    private readonly ILogger _logger;
    private readonly DnsCache _cache;

    public DnsResolver(NetStack stack, DnsResolverOptions? options = null, ILogger<DnsResolver>? logger = null)
    {
        _stack = stack ?? throw new ArgumentNullException(nameof(stack));
        _options = options ?? new DnsResolverOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _cache = new DnsCache(_options.CacheSize);
    }

    public DnsResolverCounters Counters { get; } = new();

    private NetLoop Loop => _stack.Loop;

    /// <summary>
    /// The IPv4 addresses of <paramref name="name"/> (a host name, or a dotted-quad address, returned as is).
    /// Throws <see cref="DnsResolveException"/> when there are none (NXDOMAIN is <see cref="DnsResolveError.NameError"/>),
    /// <see cref="ArgumentException"/> for a name that is not a valid domain name. Safe from any thread.
    /// </summary>
    public ValueTask<IReadOnlyList<Ipv4Address>> ResolveAsync(string name, CancellationToken cancellationToken = default)
    {
        if (name is null)
            throw new ArgumentNullException(nameof(name));
        if (!Loop.IsOnLoopThread)
            return ResolveOffLoop(name, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask<IReadOnlyList<Ipv4Address>>(Task.FromCanceled<IReadOnlyList<Ipv4Address>>(cancellationToken));
        Counters.Lookups++;
        DnsCacheEntry? cached = _cache.Find(name.AsSpan(), Loop.Now);
        if (cached is not null)
        {
            Counters.CacheHits++;
            return cached.Error is DnsResolveError error
                ? new ValueTask<IReadOnlyList<Ipv4Address>>(Task.FromException<IReadOnlyList<Ipv4Address>>(new DnsResolveException(name, error)))
                : new ValueTask<IReadOnlyList<Ipv4Address>>(cached.Addresses);
        }
        if (Ipv4Address.TryParse(name.AsSpan(), out Ipv4Address literal))
            return new ValueTask<IReadOnlyList<Ipv4Address>>(new ReadOnlyCollection<Ipv4Address>([literal]));
        byte[] wireName = DnsName.Encode(name) ?? throw new ArgumentException($"'{name}' is not a valid domain name.", nameof(name));
        return new ValueTask<IReadOnlyList<Ipv4Address>>(ResolveUncachedAsync(name, wireName, cancellationToken));
    }

    /// <summary>Forgets every cached answer; for the loop's thread.</summary>
    public void ClearCache() => _cache.Clear();

    private ValueTask<IReadOnlyList<Ipv4Address>> ResolveOffLoop(string name, CancellationToken cancellationToken) =>
        new(Loop.InvokeAsync(() => ResolveAsync(name, cancellationToken).AsTask()));

    private async Task<IReadOnlyList<Ipv4Address>> ResolveUncachedAsync(string name, byte[] wireName, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(DnsMessage.MaxUdpLength);
        try
        {
            int hopsLeft = _options.MaxCnameHops;
            uint ttl = uint.MaxValue;
            while (true)
            {
                Outcome outcome = await QueryServersAsync(name, wireName, buffer, hopsLeft, cancellationToken).ConfigureAwait(true);
                ttl = Math.Min(ttl, outcome.TtlSeconds);
                switch (outcome.Kind)
                {
                    case OutcomeKind.Addresses:
                        var addresses = new ReadOnlyCollection<Ipv4Address>(outcome.Addresses!);
                        Remember(name, addresses, null, ttl, _options.MaxTtl);
                        return addresses;
                    case OutcomeKind.Restart:
                        // RFC 1034 §5.3.3 step 3: the chain ended at a name with no data here; ask again for it.
                        hopsLeft -= outcome.Hops;
                        wireName = outcome.CanonicalName!;
                        continue;
                    case OutcomeKind.NameError:
                    case OutcomeKind.NoData:
                        DnsResolveError error = outcome.Kind == OutcomeKind.NameError ? DnsResolveError.NameError : DnsResolveError.NoData;
                        // RFC 2308 §5: "Negative responses without SOA records SHOULD NOT be cached".
                        if (outcome.HasNegativeTtl)
                            Remember(name, s_none, error, ttl, _options.MaxNegativeTtl);
                        throw new DnsResolveException(name, error);
                    default:
                        throw new DnsResolveException(name, outcome.Kind switch
                        {
                            OutcomeKind.Truncated => DnsResolveError.Truncated,
                            OutcomeKind.ServerFailure => DnsResolveError.ServerFailure,
                            OutcomeKind.ChainTooLong => DnsResolveError.CnameChainTooLong,
                            OutcomeKind.NoServers => DnsResolveError.NoServers,
                            _ => DnsResolveError.TimedOut,
                        });
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Asks each server in turn, <see cref="DnsResolverOptions.Attempts"/> rounds, until one gives a usable answer.</summary>
    private async Task<Outcome> QueryServersAsync(string name, byte[] wireName, byte[] buffer, int hopsLeft, CancellationToken cancellationToken)
    {
        IReadOnlyList<Ipv4Address> servers = _options.Servers ?? _stack.DnsServers;
        if (servers.Count == 0)
            return new Outcome(OutcomeKind.NoServers);
        Outcome last = new(OutcomeKind.TimedOut);
        for (int round = 0; round < _options.Attempts; round++)
        {
            foreach (Ipv4Address server in servers)
            {
                Outcome? outcome = await ExchangeAsync(server, wireName, buffer, hopsLeft, cancellationToken).ConfigureAwait(true);
                if (outcome is not { } answer)
                    continue;
                if (answer.Kind != OutcomeKind.ServerFailure)
                    return answer;
                if (_logger.IsEnabled(LogLevel.Debug))
                    Log.ServerFailed(_logger, server.ToString(), name);
                last = answer;
            }
        }
        return last;
    }

    /// <summary>
    /// One query to one server from a new socket (a new random port) with a new random ID. Waits up to
    /// <see cref="DnsResolverOptions.Timeout"/> for an acceptable response, ignoring and counting the others; null
    /// on timeout or when the query cannot be sent.
    /// </summary>
    private async Task<Outcome?> ExchangeAsync(Ipv4Address server, byte[] wireName, byte[] buffer, int hopsLeft, CancellationToken cancellationToken)
    {
        // RFC 5452 §9.2: the ID MUST be random, from the stack's cryptographic (or, simulated, seeded) source.
        ushort id = _stack.Nonces.NextUInt16();
        var query = new DnsMessageWriter(buffer, id, DnsMessage.ComposeFlags(response: false, recursionDesired: true));
        query.TryWriteQuestion(wireName, DnsType.A);
        int length = query.Length;
        using var socket = new UdpSocket(_stack);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        NetTimer timeout = Loop.CreateTimer(attempt.Cancel);
        timeout.Schedule(Loop.Now + _options.Timeout);
        try
        {
            socket.SendTo(buffer.AsSpan(0, length), new Ipv4EndPoint(server, ServerPort));
            Counters.QueriesSent++;
            while (true)
            {
                UdpReceiveResult received = await socket.ReceiveFromAsync(buffer, attempt.Token).ConfigureAwait(true);
                if (received.Truncated)
                {
                    Counters.Malformed++;
                    continue;
                }
                if (received.RemoteEndPoint != new Ipv4EndPoint(server, ServerPort))
                {
                    Counters.WrongSource++;
                    continue;
                }
                if (Accept(buffer.AsSpan(0, received.ReceivedBytes), id, wireName, hopsLeft) is { } outcome)
                    return outcome;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Counters.Timeouts++;
            return null;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
                Log.SendFailed(_logger, server.ToString(), e.SocketErrorCode.ToString());
            return null;
        }
        finally
        {
            timeout.Cancel();
        }
    }

    private void Remember(string name, ReadOnlyCollection<Ipv4Address> addresses, DnsResolveError? error, uint ttlSeconds, TimeSpan limit)
    {
        // RFC 1035 §3.2.1: a TTL of zero means the answer is for this transaction only.
        if (ttlSeconds == 0 || ttlSeconds == uint.MaxValue || limit <= TimeSpan.Zero)
            return;
        TimeSpan ttl = TimeSpan.FromSeconds(ttlSeconds);
        TimeSpan now = Loop.Now;
        _cache.Add(name, addresses, error, now + (ttl < limit ? ttl : limit), now);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "DNS server {Server} failed to answer for {Name}; trying the next")]
        public static partial void ServerFailed(ILogger logger, string server, string name);

        [LoggerMessage(2, LogLevel.Debug, "DNS query to {Server} not sent: {Error}")]
        public static partial void SendFailed(ILogger logger, string server, string error);
    }
}
