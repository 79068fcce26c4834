using Seqs.Tcp;

namespace Seqs.Tests.Tcp;

/// <summary>The window arithmetic of the congestion control algorithms, driven by a steady ACK clock.</summary>
public sealed class CongestionControlTests
{
    private const int Mss = 1000;
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(100);

    [TestCase(1460, 14600)]
    [TestCase(536, 5360)]
    [TestCase(9000, 18000)]
    public void InitialWindow_FollowsRfc6928(int mss, int window) =>
        Assert.That(CongestionControl.InitialWindow(mss), Is.EqualTo(window));

    [Test]
    public void Loss_HalvesNewReno_AndTakesCubicToSevenTenths()
    {
        CongestionControl reno = CongestionControl.Create(CongestionControlAlgorithm.NewReno, Mss);
        CongestionControl cubic = CongestionControl.Create(CongestionControlAlgorithm.Cubic, Mss);
        reno.OnLoss(100 * Mss, Mss, TimeSpan.Zero);
        cubic.OnLoss(100 * Mss, Mss, TimeSpan.Zero);
        Assert.That((reno.SlowStartThreshold, cubic.SlowStartThreshold), Is.EqualTo((50 * Mss, 70 * Mss)));
        Assert.That((reno.Window, cubic.Window), Is.EqualTo((50 * Mss, 70 * Mss)));
    }

    /// <summary>
    /// RFC 9438 §4.2: after a loss at W_max = 100 segments, W_cubic returns to W_max at K = ∛(W_max·(1-β)/C) = ∛75 ≈
    /// 4.2 s, plateaus there and then grows convexly; NewReno climbs one segment per round trip.
    /// </summary>
    [Test]
    public void Cubic_ReturnsToTheLossWindowAfterK_ThenProbesBeyondIt()
    {
        GrowFromLoss(CongestionControlAlgorithm.Cubic, out Dictionary<int, int> cubicAt);
        GrowFromLoss(CongestionControlAlgorithm.NewReno, out Dictionary<int, int> renoAt);
        double k = Math.Cbrt(100 * 0.3 / 0.4);
        int atK = cubicAt[(int)Math.Round(k * 10)];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(atK, Is.InRange(95 * Mss, 105 * Mss), "W_cubic(K) = W_max");
            Assert.That(cubicAt[20], Is.LessThan(atK).And.GreaterThan(85 * Mss), "concave: most of the way back in 2 s");
            Assert.That(cubicAt[80], Is.InRange(115 * Mss, 128 * Mss), "convex beyond W_max: W_cubic(8 s) = 0.4·(8 - K)³ + 100 ≈ 122");
            Assert.That(renoAt[20], Is.InRange(65 * Mss, 71 * Mss), "Reno: about 50 + 20 after 20 round trips");
            Assert.That(renoAt[80], Is.InRange(118 * Mss, 131 * Mss), "and 50 + 80 after 80");
        }
    }

    /// <summary>Drives an ACK clock for 8 s after a loss at 100 segments; records the window every round trip.</summary>
    private static void GrowFromLoss(CongestionControlAlgorithm algorithm, out Dictionary<int, int> windowAtRoundTrip)
    {
        CongestionControl cc = CongestionControl.Create(algorithm, Mss);
        TimeSpan now = TimeSpan.Zero;
        while (cc.Window < 100 * Mss)
            cc.OnAcked(Mss, Mss, windowLimited: true, now, RoundTrip);
        cc.OnLoss(cc.Window, Mss, now);
        windowAtRoundTrip = [];
        for (int round = 0; round <= 80; round++)
        {
            windowAtRoundTrip[round] = cc.Window;
            int segments = cc.Window / Mss;
            for (int i = 0; i < segments; i++)
            {
                now += RoundTrip / segments;
                cc.OnAcked(Mss, Mss, windowLimited: true, now, RoundTrip);
            }
        }
    }

    [Test]
    public void AnApplicationLimitedSender_DoesNotGrowTheWindow()
    {
        CongestionControl cc = CongestionControl.Create(CongestionControlAlgorithm.NewReno, Mss);
        int before = cc.Window;
        cc.OnAcked(Mss, Mss, windowLimited: false, TimeSpan.Zero, RoundTrip);
        Assert.That(cc.Window, Is.EqualTo(before));
    }
}
