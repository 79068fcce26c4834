using System.Buffers;
using Microsoft.Extensions.Logging;
using Seqs.Diagnostics;
using Seqs.Wire;

namespace Seqs.Dhcp;

/// <summary>Getting a lease: INIT, SELECTING, REQUESTING, INIT-REBOOT, REBOOTING and the ARP check (RFC 2131 §4.4.1, §3.2).</summary>
public sealed partial class DhcpClient
{
    private void BeginSelecting()
    {
        State = DhcpClientState.Selecting;
        _transactionId = NewTransactionId();
        _transactionStart = _stack.Loop.Now;
        _attempts = 0;
        SendDiscover();
    }

    /// <summary>RFC 2131 §4.4.1: broadcast DHCPDISCOVER, retransmitted with the §4.1 backoff until an offer comes.</summary>
    private void SendDiscover()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(TransmitBufferLength);
        try
        {
            DhcpMessageWriter writer = StartMessage(buffer, DhcpMessageType.Discover);
            // RFC 2131 §4.4.1: the client MAY suggest the address it had.
            if (!RememberedAddress.IsUnspecified)
                writer.WriteAddress(DhcpOptionCode.RequestedIpAddress, RememberedAddress);
            WriteRequestOptions(ref writer);
            Send(buffer.AsSpan(0, writer.Finish()), Ipv4Address.Broadcast);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _attempts++;
        _timer.Schedule(_stack.Loop.Now + NextBackoff());
    }

    private void BeginRebooting()
    {
        State = DhcpClientState.Rebooting;
        _transactionId = NewTransactionId();
        _transactionStart = _requestStart = _stack.Loop.Now;
        _attempts = 0;
        SendRequest();
    }

    /// <summary>
    /// Sends DHCPREQUEST as RFC 2131 §4.3.2 tells the states apart: SELECTING carries 'server identifier' and
    /// 'requested IP address'; INIT-REBOOT only 'requested IP address'; RENEWING and REBINDING only 'ciaddr'.
    /// </summary>
    private void SendRequest()
    {
        if (_attempts == 0)
            _requestStart = _stack.Loop.Now;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(TransmitBufferLength);
        try
        {
            DhcpMessageWriter writer = StartMessage(buffer, DhcpMessageType.Request);
            Ipv4Address destination = Ipv4Address.Broadcast;
            switch (State)
            {
                case DhcpClientState.Requesting:
                    writer.WriteAddress(DhcpOptionCode.RequestedIpAddress, _offeredAddress);
                    writer.WriteAddress(DhcpOptionCode.ServerIdentifier, _offerServer);
                    break;
                case DhcpClientState.Rebooting:
                    writer.WriteAddress(DhcpOptionCode.RequestedIpAddress, RememberedAddress);
                    break;
                case DhcpClientState.Renewing:
                    writer.SetClientAddress(_lease.Address.Address);
                    destination = _lease.ServerIdentifier;
                    break;
                default:
                    writer.SetClientAddress(_lease.Address.Address);
                    break;
            }
            WriteRequestOptions(ref writer);
            Send(buffer.AsSpan(0, writer.Finish()), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        _attempts++;
    }

    private void OnRequestTimeout()
    {
        if (_attempts >= _options.MaxRequestAttempts)
        {
            // RFC 2131 §3.1 step 5 and §3.2 step 4: with neither DHCPACK nor DHCPNAK, start over in INIT.
            if (_logger.IsEnabled(LogLevel.Debug))
                Log.RequestTimedOut(_logger, RfcName(State), _attempts);
            Restart(TimeSpan.Zero);
            return;
        }
        SendRequest();
        _timer.Schedule(_stack.Loop.Now + NextBackoff());
    }

    private void OnDatagram(ReadOnlySpan<byte> datagram)
    {
        if (!DhcpMessage.TryParse(datagram, out DhcpMessage message, out _))
        {
            Counters.Malformed++;
            return;
        }
        if (message.Operation != DhcpOperation.BootReply || message.TransactionId != _transactionId
            || message.ClientHardwareAddress != _stack.MacAddress)
        {
            Counters.WrongTransaction++;
            return;
        }
        switch (message.MessageType)
        {
            case DhcpMessageType.Offer:
                OnOffer(message);
                break;
            case DhcpMessageType.Ack:
                OnAck(message);
                break;
            case DhcpMessageType.Nak:
                OnNak(message);
                break;
            default:
                Counters.Unexpected++;
                break;
        }
    }

    /// <summary>RFC 2131 §4.4.1: the client takes the first acceptable offer and requests it.</summary>
    private void OnOffer(DhcpMessage offer)
    {
        if (State != DhcpClientState.Selecting || !IsUsableAddress(offer.YourAddress)
            || !offer.TryGetAddress(DhcpOptionCode.ServerIdentifier, out Ipv4Address server))
        {
            Counters.Unexpected++;
            return;
        }
        Counters.Offers++;
        _offeredAddress = offer.YourAddress;
        _offerServer = server;
        State = DhcpClientState.Requesting;
        _attempts = 0;
        SendRequest();
        _timer.Schedule(_stack.Loop.Now + NextBackoff());
    }

    private void OnAck(DhcpMessage ack)
    {
        bool acquiring = State is DhcpClientState.Requesting or DhcpClientState.Rebooting;
        bool extending = State is DhcpClientState.Renewing or DhcpClientState.Rebinding;
        if (!(acquiring || extending) || !IsUsableAddress(ack.YourAddress)
            || !ack.TryGetAddress(DhcpOptionCode.ServerIdentifier, out Ipv4Address server)
            || !ack.HasOption(DhcpOptionCode.IpAddressLeaseTime)
            || (State == DhcpClientState.Requesting && (server != _offerServer || ack.YourAddress != _offeredAddress)))
        {
            Counters.Unexpected++;
            return;
        }
        Counters.Acks++;
        DhcpClientLease lease = ReadLease(ack, server);
        if (extending && lease.Address.Address == _lease.Address.Address)
        {
            Counters.Renewals++;
            Apply(lease, renewal: true);
            return;
        }
        if (extending)
            LoseLease("the server gave another address");
        if (_options.ProbeCount == 0)
        {
            Apply(lease, renewal: false);
            return;
        }
        BeginProbing(lease);
    }

    /// <summary>RFC 2131 §3.1 step 5, §3.2 step 4, §4.4.5: a DHCPNAK ends the lease and the client starts over.</summary>
    private void OnNak(DhcpMessage nak)
    {
        if (State is not (DhcpClientState.Requesting or DhcpClientState.Rebooting or DhcpClientState.Renewing or DhcpClientState.Rebinding)
            || (State == DhcpClientState.Requesting && (!nak.TryGetAddress(DhcpOptionCode.ServerIdentifier, out Ipv4Address server) || server != _offerServer)))
        {
            Counters.Unexpected++;
            return;
        }
        Counters.Naks++;
        if (_logger.IsEnabled(LogLevel.Information) && _nakLog.TryEnter(_stack.Loop.Now, out int suppressed))
        {
            nak.TryGetAddress(DhcpOptionCode.ServerIdentifier, out Ipv4Address from);
            Log.Nak(_logger, from.ToString(), RfcName(State), LogGate.Note(suppressed));
        }
        // A NAK to INIT-REBOOT means the remembered address is wrong for this network.
        if (State == DhcpClientState.Rebooting)
            RememberedAddress = default;
        LoseLease("DHCPNAK");
        Restart(StartDelay());
    }

    /// <summary>RFC 5227 §2.1.1: PROBE_WAIT, then PROBE_NUM probes PROBE_MIN to PROBE_MAX apart, then ANNOUNCE_WAIT.</summary>
    private void BeginProbing(DhcpClientLease lease)
    {
        _candidate = lease;
        State = DhcpClientState.Probing;
        _probesSent = 0;
        _conflict = false;
        _stack.WatchArp(lease.Address.Address);
        _timer.Schedule(_stack.Loop.Now + RandomBetween(TimeSpan.Zero, ProbeWait));
    }

    private void OnProbeTimer()
    {
        Ipv4Address address = _candidate.Address.Address;
        if (_conflict)
        {
            _stack.UnwatchArp(address);
            Decline();
            return;
        }
        if (_probesSent < _options.ProbeCount)
        {
            _stack.SendArpProbe(address);
            _probesSent++;
            TimeSpan wait = _probesSent < _options.ProbeCount ? RandomBetween(ProbeMin, ProbeMax) : AnnounceWait;
            _timer.Schedule(_stack.Loop.Now + wait);
            return;
        }
        _stack.UnwatchArp(address);
        Apply(_candidate, renewal: false);
    }

    private void OnArpConflict(Ipv4Address address, MacAddress mac)
    {
        if (State != DhcpClientState.Probing || address != _candidate.Address.Address || _conflict)
            return;
        // Declining from inside the stack's frame handling would send in the middle of it; the timer runs this turn.
        _conflict = true;
        _conflictMac = mac;
        _timer.Schedule(_stack.Loop.Now);
    }

    /// <summary>RFC 2131 §4.4.1: DHCPDECLINE to the server, then INIT again after at least ten seconds.</summary>
    private void Decline()
    {
        Ipv4Address address = _candidate.Address.Address;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(TransmitBufferLength);
        try
        {
            DhcpMessageWriter writer = StartMessage(buffer, DhcpMessageType.Decline);
            writer.WriteAddress(DhcpOptionCode.RequestedIpAddress, address);
            writer.WriteAddress(DhcpOptionCode.ServerIdentifier, _candidate.ServerIdentifier);
            Send(buffer.AsSpan(0, writer.Finish()), Ipv4Address.Broadcast);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        Counters.Declines++;
        if (_logger.IsEnabled(LogLevel.Warning) && _declinedLog.TryEnter(_stack.Loop.Now, out int suppressed))
            Log.Declined(_logger, address.ToString(), _conflictMac.ToString(), LogGate.Note(suppressed));
        if (RememberedAddress == address)
            RememberedAddress = default;
        Restart(DeclineRestartDelay + StartDelay());
    }

    /// <summary>
    /// RFC 2131 §4.4.6: DHCPRELEASE with 'ciaddr' and the server identifier, unicast to the server. When the next
    /// hop's MAC is unknown the stack would hold the message for ARP past the moment the address is removed, so
    /// it is broadcast instead; the server identifier still names the one server that acts on it.
    /// </summary>
    private void SendRelease()
    {
        _transactionId = NewTransactionId();
        _transactionStart = _stack.Loop.Now;
        Ipv4Address server = _lease.ServerIdentifier;
        Ipv4Address nextHop = _lease.Address.Contains(server) ? server : _lease.Router;
        Ipv4Address destination = !nextHop.IsUnspecified && _stack.TryGetNeighbor(nextHop, out _) ? server : Ipv4Address.Broadcast;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(TransmitBufferLength);
        try
        {
            DhcpMessageWriter writer = StartMessage(buffer, DhcpMessageType.Release);
            writer.SetClientAddress(_lease.Address.Address);
            writer.WriteAddress(DhcpOptionCode.ServerIdentifier, server);
            Send(buffer.AsSpan(0, writer.Finish()), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>RFC 1122 §3.2.1.3: a host address is never 0, broadcast, multicast, loopback or class E.</summary>
    private static bool IsUsableAddress(Ipv4Address address) =>
        !address.IsUnspecified && !address.IsBroadcast && !address.IsMulticast && !address.IsLoopback && (address.Value >> 28) != 0xF;
}
