using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Drivers.Cyw43.Register.Events;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// Which join events decide the outcome (embassy control.rs, cyw43-driver cyw43_ctrl.c;
/// docs/reference/cyw43439.md#join-failed, corrected): real firmware sends failures that are not final, and the driver
/// decides failure only on a timeout, a DEAUTH_IND or DISASSOC_IND, or a SET_SSID failure.
/// </summary>
public sealed class JoinOutcomeTests
{
    [Test]
    public void Wpa2Join_ThatTheFirmwareOpensWithPskSupStatus4_Joins()
    {
        using var board = WifiTests.Booted(new EmulatedAccessPoint(EmulatedWifiNetwork.Ssid, EmulatedWifiNetwork.Passphrase));
        long eventsBefore = board.Driver.EventsReceived;

        Task<WifiJoinResult> join = board.Driver.JoinAsync(EmulatedWifiNetwork.Ssid, EmulatedWifiNetwork.Passphrase);
        VirtualTime.Run(board.Clock, join);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(join.Result, Is.EqualTo(WifiJoinResult.Joined), "the emulator sends PSK_SUP status 4 before 'keyed', as real firmware does");
            Assert.That(board.Driver.EventsReceived - eventsBefore, Is.EqualTo(6), "AUTH, LINK, JOIN, SET_SSID, PSK_SUP 4, PSK_SUP 6");
            Assert.That(board.Driver.IsLinkUp, Is.True);
        }
    }

    [Test]
    public void UnsolicitedAuth_IsNotAFailure()
    {
        var join = new JoinProgress(secure: false);

        join.Observe(WlanEventType.Auth, 6, 0);
        join.Observe(WlanEventType.SetSsid, WlanEventStatus.Success, 0);

        Assert.That(join.Outcome, Is.EqualTo(WifiJoinResult.Joined));
    }

    [Test]
    public void AuthFailure_FollowedByAuthSuccess_Joins()
    {
        var join = new JoinProgress(secure: true);

        join.Observe(WlanEventType.Auth, WlanEventStatus.Failure, 0);
        Assert.That(join.Outcome, Is.Null, "not final: cyw43-driver lets a later AUTH success restore the state");
        join.Observe(WlanEventType.Auth, WlanEventStatus.Success, 0);
        join.Observe(WlanEventType.SetSsid, WlanEventStatus.Success, 0);
        join.Observe(WlanEventType.PskSupplicant, WlanEventStatus.SupplicantKeyed, 0);

        Assert.That(join.Outcome, Is.EqualTo(WifiJoinResult.Joined));
    }

    [TestCase(4u, 0u, TestName = "PskSupStatus4_IsIgnored")]
    [TestCase(2u, 14u, TestName = "PskSupReason14_IsIgnored")]
    public void IgnoredSupplicantEvent_LeavesTheJoinToSucceed(uint status, uint reason)
    {
        var join = new JoinProgress(secure: true);

        join.Observe(WlanEventType.SetSsid, WlanEventStatus.Success, 0);
        join.Observe(WlanEventType.PskSupplicant, status, reason);
        Assert.That((join.Outcome, join.PendingFailure), Is.EqualTo(((WifiJoinResult?)null, (WifiJoinResult?)null)));
        join.Observe(WlanEventType.PskSupplicant, WlanEventStatus.SupplicantKeyed, 0);

        Assert.That(join.Outcome, Is.EqualTo(WifiJoinResult.Joined));
    }

    [Test]
    public void HandshakeTimeout_IsTheOutcomeOnlyWhenNothingBetterFollows()
    {
        var recovered = new JoinProgress(secure: true);
        var timedOut = new JoinProgress(secure: true);
        foreach (JoinProgress join in new[] { recovered, timedOut })
        {
            join.Observe(WlanEventType.SetSsid, WlanEventStatus.Success, 0);
            join.Observe(WlanEventType.PskSupplicant, 8, WlanEventStatus.HandshakeTimeoutReason);
        }

        recovered.Observe(WlanEventType.PskSupplicant, WlanEventStatus.SupplicantKeyed, 0);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(recovered.Conclusion, Is.EqualTo(WifiJoinResult.Joined));
            Assert.That(timedOut.Outcome, Is.Null, "the firmware may still key: wait for the timeout");
            Assert.That(timedOut.Conclusion, Is.EqualTo(WifiJoinResult.HandshakeTimeout));
        }
    }

    [Test]
    public void DisassocIndication_DuringAJoin_EndsIt()
    {
        var join = new JoinProgress(secure: true);

        join.Observe(WlanEventType.SetSsid, WlanEventStatus.Success, 0);
        join.Observe(WlanEventType.DisassocIndication, WlanEventStatus.Success, 8);

        Assert.That(join.Outcome, Is.EqualTo(WifiJoinResult.AssociationFailed));
    }

    [Test]
    public void DisassocIndication_AfterTheJoin_TakesTheLinkDown()
    {
        using var board = new JoinedBoard();

        board.Chip.IndicateDisassociation();
        var buffer = new byte[1514];
        board.Driver.TryReceive(buffer, out _);

        Assert.That(board.Driver.IsLinkUp, Is.False, "DISASSOC_IND is a link loss");
    }
}
