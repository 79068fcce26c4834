using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Wire;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// Scan, join, leave, link loss and rejoin, and the LED (embassy control.rs Control::join;
/// docs/reference/cyw43439.md#wpa2-psk-join), driver against emulator, in virtual time.
/// </summary>
public sealed class WifiTests
{
    private const string Passphrase = "correct horse battery";

    private static readonly EmulatedAccessPoint Home = new("home", Passphrase)
    {
        Bssid = new MacAddress(0x02_AA_00_00_00_01),
        Channel = 6,
        Rssi = -48,
    };

    private static readonly EmulatedAccessPoint Cafe = new("cafe")
    {
        Bssid = new MacAddress(0x02_AA_00_00_00_02),
        Channel = 11,
        Rssi = -71,
    };

    [Test]
    public void Scan_ReportsEachAccessPoint_WithBssidChannelRssiAndSecurity_StrongestFirst()
    {
        using var board = Booted(Cafe, Home);

        IReadOnlyList<WifiNetwork> networks = Run(board, board.Driver.ScanAsync());

        Assert.That(networks, Is.EqualTo(new[]
        {
            new WifiNetwork("home", Home.Bssid, 6, -48, WifiSecurity.Wpa2),
            new WifiNetwork("cafe", Cafe.Bssid, 11, -71, WifiSecurity.Open),
        }).AsCollection);
    }

    [Test]
    public void Scan_MissesAnAccessPointOutOfRange()
    {
        using var board = Booted(Cafe, Home);
        board.Chip.SetInRange("home", false);

        IReadOnlyList<WifiNetwork> networks = Run(board, board.Driver.ScanAsync());

        Assert.That(networks.Select(n => n.Ssid), Is.EqualTo(new[] { "cafe" }).AsCollection);
    }

    [Test]
    public void JoinWpa2_WithTheRightPassphrase_FollowsTheJoinSequence_AndBringsTheLinkUp()
    {
        using var board = Booted(Home);
        int linkChanges = 0;
        board.Driver.LinkStateChanged += (_, _) => linkChanges++;

        WifiJoinResult result = Run(board, board.Driver.JoinAsync("home", Passphrase));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo(WifiJoinResult.Joined));
            Assert.That(board.Driver.IsLinkUp, Is.True);
            Assert.That(linkChanges, Is.EqualTo(1));
            Assert.That(board.Chip.AssociatedAccessPoint, Is.EqualTo(Home));
            Assert.That(board.Chip.IoctlValue(Ioctl.SetWsec), Is.EqualTo(U32(4)).AsCollection, "AES");
            Assert.That(board.Chip.IoctlValue(Ioctl.SetWpaAuth), Is.EqualTo(U32(0x80)).AsCollection, "WPA2-PSK");
            Assert.That(board.Chip.IoctlValue(Ioctl.SetInfra), Is.EqualTo(U32(1)).AsCollection);
            Assert.That(board.Chip.IoctlValue(Ioctl.SetAuth), Is.EqualTo(U32(0)).AsCollection);
            Assert.That(board.Chip.Variable("bsscfg:sup_wpa"), Is.EqualTo(U32(0, 1)).AsCollection);
            Assert.That(board.Chip.Variable("bsscfg:sup_wpa2_eapver"), Is.EqualTo(U32(0, uint.MaxValue)).AsCollection);
            Assert.That(board.Chip.Variable("bsscfg:sup_wpa_tmo"), Is.EqualTo(U32(0, 2500)).AsCollection);
            Assert.That(board.Chip.Variable("mfp"), Is.EqualTo(U32(1)).AsCollection);
            Assert.That(board.Chip.ProtocolViolations, Is.Empty);
        }
    }

    [Test]
    public void JoinOpen_SetsNoSecurity_AndBringsTheLinkUp()
    {
        using var board = Booted(Cafe);

        WifiJoinResult result = Run(board, board.Driver.JoinAsync("cafe", passphrase: null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo(WifiJoinResult.Joined));
            Assert.That(board.Driver.IsLinkUp, Is.True);
            Assert.That(board.Chip.IoctlValue(Ioctl.SetWsec), Is.EqualTo(U32(0)).AsCollection);
            Assert.That(board.Chip.IoctlValue(Ioctl.SetWpaAuth), Is.EqualTo(U32(0)).AsCollection);
            Assert.That(board.Chip.Variable("bsscfg:sup_wpa"), Is.EqualTo(U32(0, 0)).AsCollection);
        }
    }

    [TestCase("nowhere", Passphrase, WifiJoinResult.NetworkNotFound)]
    [TestCase("home", "wrong passphrase", WifiJoinResult.WrongPassphrase)]
    [TestCase("home", null, WifiJoinResult.AuthenticationFailed)]
    public void FailedJoin_SaysWhy_AndLeavesTheLinkDown(string ssid, string? passphrase, WifiJoinResult expected)
    {
        using var board = Booted(Home);

        WifiJoinResult result = Run(board, board.Driver.JoinAsync(ssid, passphrase));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result, Is.EqualTo(expected));
            Assert.That(board.Driver.IsLinkUp, Is.False);
            Assert.That(board.Chip.AssociatedAccessPoint, Is.Null);
        }
    }

    [Test]
    public void AccessPointRejectingAuthentication_GivesAuthenticationFailed()
    {
        using var board = Booted(Home with { RejectsAuthentication = true });

        Assert.That(Run(board, board.Driver.JoinAsync("home", Passphrase)), Is.EqualTo(WifiJoinResult.AuthenticationFailed));
    }

    [Test]
    public void HandshakeThatNeverCompletes_GivesHandshakeTimeout()
    {
        using var board = Booted(Home with { HandshakeTimesOut = true });

        Assert.That(Run(board, board.Driver.JoinAsync("home", Passphrase)), Is.EqualTo(WifiJoinResult.HandshakeTimeout));
    }

    [Test]
    public void AccessPointThatNeverAnswers_GivesNoAnswer_AfterTheJoinTimeout()
    {
        using var board = Booted(Home with { NeverAnswers = true });
        TimeSpan start = board.Clock.Elapsed;

        WifiJoinResult result = Run(board, board.Driver.JoinAsync("home", Passphrase));

        Assert.That(result, Is.EqualTo(WifiJoinResult.NoAnswer));
        Assert.That(board.Clock.Elapsed - start, Is.InRange(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10.1)));
        Assert.That(board.Driver.IsLinkUp, Is.False);
    }

    [Test]
    public void CancelledJoin_Throws_AndLeavesTheLinkDown()
    {
        using var board = Booted(Home with { NeverAnswers = true });
        using var cancel = new CancellationTokenSource();
        Task<WifiJoinResult> join = board.Driver.JoinAsync("home", Passphrase, cancel.Token);
        VirtualTime.RunUntil(board.Clock, () => false, TimeSpan.FromSeconds(1));

        cancel.Cancel();

        Assert.Throws<TaskCanceledException>(() => Run(board, join));
        Assert.That(board.Driver.IsLinkUp, Is.False);
        Assert.That(board.Driver.Ssid, Is.Null);
    }

    [Test]
    public void ShortPassphrase_IsRefusedBeforeAnyIoctl()
    {
        using var board = Booted(Home);
        int ioctls = board.Chip.IoctlsReceived;

        Assert.ThrowsAsync<ArgumentException>(() => board.Driver.JoinAsync("home", "short"));
        Assert.That(board.Chip.IoctlsReceived, Is.EqualTo(ioctls));
    }

    [Test]
    public void LinkLoss_IsSeenOnTheNextReceive_AndTheDriverRejoinsAfterOneSecond()
    {
        using var board = Booted(Home);
        Run(board, board.Driver.JoinAsync("home", Passphrase));
        var changes = new List<bool>();
        board.Driver.LinkStateChanged += (_, _) => changes.Add(board.Driver.IsLinkUp);

        board.Chip.DropLink();
        board.Driver.TryReceive(new byte[1514], out _);
        Assert.That(board.Driver.IsLinkUp, Is.False);
        TimeSpan lostAt = board.Clock.Elapsed;

        Assert.That(VirtualTime.RunUntil(board.Clock, () => board.Driver.IsLinkUp, TimeSpan.FromSeconds(5), Poll(board)), Is.True);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Clock.Elapsed - lostAt, Is.InRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.1)));
            Assert.That(changes, Is.EqualTo(new[] { false, true }).AsCollection);
            Assert.That(board.Driver.Counters.RejoinAttempts, Is.EqualTo(1));
            Assert.That(board.Chip.AssociatedAccessPoint, Is.EqualTo(Home));
        }
    }

    [Test]
    public void AccessPointGone_IsRetriedWithDoublingBackoff_UntilItReturns()
    {
        using var board = Booted(Home);
        Run(board, board.Driver.JoinAsync("home", Passphrase));
        int joinsBefore = board.Chip.JoinAttempts;

        board.Chip.SetInRange("home", false);
        board.Driver.TryReceive(new byte[1514], out _);
        VirtualTime.RunUntil(board.Clock, () => false, TimeSpan.FromSeconds(15.5), Poll(board));

        // Rejoins after 1, 1+2, 1+2+4 and 1+2+4+8 seconds.
        Assert.That(board.Chip.JoinAttempts - joinsBefore, Is.EqualTo(4));
        Assert.That(board.Driver.IsLinkUp, Is.False);

        board.Chip.SetInRange("home", true);
        Assert.That(VirtualTime.RunUntil(board.Clock, () => board.Driver.IsLinkUp, TimeSpan.FromSeconds(17), Poll(board)), Is.True);
        Assert.That(board.Chip.JoinAttempts - joinsBefore, Is.EqualTo(5));
    }

    [Test]
    public void Leave_DisassociatesAndStopsRejoining()
    {
        using var board = Booted(Home);
        Run(board, board.Driver.JoinAsync("home", Passphrase));

        Run(board, board.Driver.LeaveAsync());
        board.Chip.DropLink();
        VirtualTime.RunUntil(board.Clock, () => false, TimeSpan.FromSeconds(5), Poll(board));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(board.Driver.IsLinkUp, Is.False);
            Assert.That(board.Driver.Ssid, Is.Null);
            Assert.That(board.Chip.IoctlValue(Ioctl.Disassociate), Is.Not.Null);
            Assert.That(board.Chip.AssociatedAccessPoint, Is.Null);
            Assert.That(board.Driver.Counters.RejoinAttempts, Is.Zero);
        }
    }

    [Test]
    public void Led_IsTheChipsGpio0()
    {
        using var board = Booted();

        Run(board, board.Driver.SetLedAsync(true));
        uint on = board.Chip.GpioOut;
        Run(board, board.Driver.SetLedAsync(false));

        Assert.That(on, Is.EqualTo(1));
        Assert.That(board.Chip.GpioOut, Is.Zero);
        Assert.That(board.Chip.Variable("gpioout"), Is.EqualTo(U32(1, 0)).AsCollection, "mask 1, value 0");
    }

    [Test]
    public void Rssi_IsTheJoinedAccessPointsSignal_AndNotAskedForBeforeAJoin()
    {
        using var board = Booted(Cafe, Home);
        Assert.ThrowsAsync<InvalidOperationException>(() => board.Driver.GetRssiAsync());
        Assert.That(Run(board, board.Driver.JoinAsync("home", Passphrase)), Is.EqualTo(WifiJoinResult.Joined));

        int rssi = Run(board, board.Driver.GetRssiAsync());

        Assert.That(rssi, Is.EqualTo(Home.Rssi));
    }

    [Test]
    public void JoinBeforeInitialize_IsRefused()
    {
        using var board = new EmulatedCyw43Board();

        Assert.ThrowsAsync<InvalidOperationException>(() => board.Driver.JoinAsync("home", Passphrase));
    }

    internal static EmulatedCyw43Board Booted(params EmulatedAccessPoint[] accessPoints)
    {
        var board = new EmulatedCyw43Board(chip =>
        {
            foreach (EmulatedAccessPoint ap in accessPoints)
                chip.AccessPoints.Add(ap);
        });
        board.Boot();
        return board;
    }

    /// <summary>What the stack's loop does between timers: take the frames the chip announces.</summary>
    private static Action Poll(EmulatedCyw43Board board)
    {
        var buffer = new byte[1514];
        return () =>
        {
            while (board.Driver.TryReceive(buffer, out _))
            {
            }
        };
    }

    private static byte[] U32(params uint[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static void Run(EmulatedCyw43Board board, Task task) => VirtualTime.Run(board.Clock, task);

    private static T Run<T>(EmulatedCyw43Board board, Task<T> task)
    {
        VirtualTime.Run(board.Clock, task);
        return task.Result;
    }
}
