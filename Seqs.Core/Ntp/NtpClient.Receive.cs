using Microsoft.Extensions.Logging;
using Seqs.Diagnostics;
using Seqs.Stack;
using Seqs.Wire;

namespace Seqs.Ntp;

public sealed partial class NtpClient
{
    /// <summary>
    /// Keeps one receive outstanding on the socket. Its completion runs on the loop (UdpSocket completes receives
    /// as loop work) and calls back here through a delegate made once, so no receive allocates.
    /// </summary>
    private void EnsureReceiving()
    {
        if (_receiving)
            return;
        _receiving = true;
        ReceiveNext();
    }

    private void ReceiveNext()
    {
        while (!_disposed)
        {
            _receive = _socket.ReceiveFromAsync(_buffer);
            if (!_receive.IsCompleted)
            {
                _receive.GetAwaiter().UnsafeOnCompleted(_onReceived);
                return;
            }
            OnDatagram(_receive.GetAwaiter().GetResult());
        }
    }

    private void OnReceiveCompleted()
    {
        UdpReceiveResult received;
        try
        {
            received = _receive.GetAwaiter().GetResult();
        }
        catch (ObjectDisposedException)
        {
            return;
        }
        OnDatagram(received);
        ReceiveNext();
    }

    /// <summary>RFC 4330 §5 and RFC 5905 §8: the checks a reply must pass before its timestamps are used.</summary>
    private void OnDatagram(UdpReceiveResult received)
    {
        NtpTimestamp t4 = NtpTimestamp.FromDateTimeOffset(_stack.Loop.TimeProvider.GetUtcNow());
        if (received.RemoteEndPoint != new Ipv4EndPoint(Server, NtpPacket.Port))
        {
            Counters.Reject(NtpReplyRejection.WrongSource);
            return;
        }
        if (!NtpPacket.TryParse(_buffer.AsSpan(0, received.ReceivedBytes), out NtpPacket reply, out _))
        {
            Counters.Reject(NtpReplyRejection.Malformed);
            return;
        }
        // The origin check comes first, so that a forged Kiss-o'-Death cannot silence the client (RFC 5905 §7.4).
        if (_phase != Phase.AwaitingReply || reply.OriginTimestamp != _outstanding)
        {
            Counters.Reject(NtpReplyRejection.OriginMismatch);
            return;
        }
        if (reply.Mode != NtpMode.Server)
        {
            Counters.Reject(NtpReplyRejection.NotServerMode);
            return;
        }
        if (reply.Stratum == 0)
        {
            OnKissOfDeath(reply.KissCode);
            return;
        }
        NtpReplyRejection? rejection = Check(reply);
        if (rejection is null)
        {
            // RFC 5905 §8: θ = ((T2 − T1) + (T3 − T4)) / 2 and δ = (T4 − T1) − (T3 − T2).
            TimeSpan offset = new(((reply.ReceiveTimestamp - _sentAt) + (reply.TransmitTimestamp - t4)).Ticks / 2);
            TimeSpan delay = (t4 - _sentAt) - (reply.TransmitTimestamp - reply.ReceiveTimestamp);
            if (delay < TimeSpan.Zero)
                rejection = NtpReplyRejection.NegativeDelay;
            else
                Accept(new NtpSample(offset, delay, reply.Stratum, t4.ToDateTimeOffset()));
        }
        if (rejection is { } reason)
            Counters.Reject(reason);
        // One answer per request: a rejected reply that matched the origin ends the sample too.
        _timer.Cancel();
        EndSample();
    }

    private static NtpReplyRejection? Check(NtpPacket reply)
    {
        if (reply.Stratum > MaxStratum)
            return NtpReplyRejection.BadStratum;
        if (reply.LeapIndicator == NtpLeapIndicator.Unsynchronized)
            return NtpReplyRejection.Unsynchronized;
        if (reply.TransmitTimestamp.IsZero || reply.ReceiveTimestamp.IsZero)
            return NtpReplyRejection.ZeroTimestamp;
        if (reply.RootDelay < TimeSpan.Zero || reply.RootDelay >= s_maxRootDistance || reply.RootDispersion >= s_maxRootDistance)
            return NtpReplyRejection.BadRootDistance;
        return null;
    }

    private void Accept(NtpSample sample)
    {
        Counters.RepliesAccepted++;
        if (!_hasBest || sample.Delay < _best.Delay)
        {
            _best = sample;
            _hasBest = true;
        }
    }

    private void LogKissOfDeath(NtpKissCode code, TimeSpan pollInterval)
    {
        if (_logger.IsEnabled(LogLevel.Warning) && _kissOfDeathLog.TryEnter(_stack.Loop.Now, out int suppressed))
            Log.KissOfDeath(_logger, Server, code, pollInterval, LogGate.Note(suppressed));
    }

    /// <summary>RFC 5905 §7.4: DENY and RSTR end all requests to the server; RATE asks for a longer poll interval.</summary>
    private void OnKissOfDeath(NtpKissCode code)
    {
        Counters.KissOfDeath++;
        _timer.Cancel();
        switch (code)
        {
            case NtpKissCode.Deny:
            case NtpKissCode.Restrict:
                _phase = Phase.Denied;
                LogKissOfDeath(code, Timeout.InfiniteTimeSpan);
                CompleteWaiters(failure: new NtpSynchronizationException($"NTP server {Server} denied service ({code}).", code));
                return;
            case NtpKissCode.Rate:
                _pollFloor = Min(_pollFloor + _pollFloor, _maxPollInterval);
                PollInterval = _pollFloor > PollInterval ? _pollFloor : PollInterval;
                LogKissOfDeath(code, PollInterval);
                // Send nothing more in this poll: end it with what it has.
                _samplesTaken = _samplesPerPoll - 1;
                EndSample();
                return;
            default:
                Counters.Reject(NtpReplyRejection.UnknownKissCode);
                EndSample();
                return;
        }
    }
}
