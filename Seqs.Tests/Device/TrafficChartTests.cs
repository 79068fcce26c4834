using System.Buffers;
using System.Text;
using System.Xml.Linq;
using Seqs.Device.Web;

namespace Seqs.Tests.Device;

/// <summary>The status page's traffic history (a ring of samples) and its chart (inline SVG drawn from the samples).</summary>
public sealed class TrafficChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Test]
    public void History_KeepsTheBytesOfEachInterval_AndDropsTheOldestPastCapacity()
    {
        var history = new TrafficHistory();
        long totalIn = 0, totalOut = 0;
        for (int k = 1; k <= TrafficHistory.Capacity + 10; k++)
            history.Record(totalIn += k, totalOut += 2 * k);

        Assert.That(history.Count, Is.EqualTo(TrafficHistory.Capacity));
        Assert.That(history.BytesIn(0), Is.EqualTo(11), "the ten oldest gave way");
        Assert.That(history.BytesIn(TrafficHistory.Capacity - 1), Is.EqualTo(TrafficHistory.Capacity + 10));
        Assert.That(history.BytesOut(TrafficHistory.Capacity - 1), Is.EqualTo(2 * (TrafficHistory.Capacity + 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => history.BytesIn(TrafficHistory.Capacity));
        Assert.Throws<ArgumentOutOfRangeException>(() => history.BytesIn(-1));
    }

    [Test]
    public void History_CountsFromZero_WhenTheTotalsGoDown()
    {
        var history = new TrafficHistory();
        history.Record(5000, 7000);
        history.Record(300, 400);

        Assert.That(history.BytesIn(1), Is.EqualTo(300));
        Assert.That(history.BytesOut(1), Is.EqualTo(400));
    }

    [Test]
    public void Chart_HasOnePointPerSample_ScaledToTheNextRoundRate_NewestAtTheRight()
    {
        var history = new TrafficHistory();
        // 625 B in 5 s is 1000 bit/s.
        history.Record(0, 1250);
        history.Record(625, 1250);
        history.Record(1875, 1875);

        XElement svg = Draw(history);

        Assert.That(Points(svg, "trafficIn"), Is.EqualTo("582,140 586,75 590,10"), "0, 1000 and 2000 bit/s on a 2 kbit/s scale");
        Assert.That(Points(svg, "trafficOut"), Is.EqualTo("582,10 586,140 590,75"));
        string[] texts = [.. svg.Elements(Svg + "text").Select(t => t.Value)];
        Assert.That(texts, Does.Contain("2 kbit/s").And.Contain("in 2.0 kbit/s").And.Contain("out 1.0 kbit/s").And.Contain("10 min ago"));
        Assert.That(svg.Element(Svg + "title")!.Value, Is.EqualTo("Traffic in and out, the last 10 minutes"));
    }

    [Test]
    public void Chart_OfAFullHistory_SpansTheWholeWidth_AndOfNoneIsStillAnSvg()
    {
        var history = new TrafficHistory();
        Assert.That(Points(Draw(history), "trafficIn"), Is.Empty);
        for (int k = 0; k <= TrafficHistory.Capacity; k++)
            history.Record(k * 1_250_000L, 0);

        string[] points = Points(Draw(history), "trafficIn").Split(' ');

        Assert.That(points, Has.Length.EqualTo(TrafficHistory.Capacity));
        Assert.That(points[0], Is.EqualTo("70,10"), "2 Mbit/s on a 2 Mbit/s scale, at the left edge");
        Assert.That(points[^1], Is.EqualTo("590,10"));
    }

    [TestCase(0, 1_000)]
    [TestCase(1_000, 1_000)]
    [TestCase(1_001, 2_000)]
    [TestCase(2_001, 5_000)]
    [TestCase(5_001, 10_000)]
    [TestCase(3_000_000, 5_000_000)]
    [TestCase(9_999_999_999, 10_000_000_000)]
    public void Scale_IsOneTwoOrFiveTimesAPowerOfTen(long bitsPerSecond, long scale) =>
        Assert.That(TrafficChart.NiceCeiling(bitsPerSecond), Is.EqualTo(scale));

    internal static XElement Draw(TrafficHistory history)
    {
        var output = new ArrayBufferWriter<byte>();
        TrafficChart.Write(history, output);
        return XElement.Parse(Encoding.UTF8.GetString(output.WrittenSpan));
    }

    internal static string Points(XElement svg, string id) =>
        svg.Elements(Svg + "polyline").Single(p => (string?)p.Attribute("id") == id).Attribute("points")!.Value;
}
