using BenchmarkDotNet.Attributes;
using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Benchmarks;

/// <summary>
/// One full-size (1514-byte) Ethernet frame through the CYW43439 driver and the emulated chip, each way: the driver's
/// SDPCM/BDC framing and gSPI packing plus the emulator's decoding, over a crossover cable to the access point's side.
/// The emulator's share makes this an upper bound on the driver's own cost; the bus time on hardware comes on top.
/// </summary>
[MemoryDiagnoser]
public class Cyw43Benchmarks // not sealed: BenchmarkDotNet's generated runner derives from it
{
    private const string Ssid = "bench";
    private const string Passphrase = "benchmark passphrase";

    private readonly byte[] _buffer = new byte[Cyw43439.MaxEthernetFrameSize];
    private Cyw43439 _driver = null!;
    private CrossoverNic _peer = null!;
    private byte[] _frame = [];

    [GlobalSetup]
    public void Setup()
    {
        var clock = new VirtualClock();
        var chip = new Cyw43Emulator(clock);
        chip.AccessPoints.Add(new EmulatedAccessPoint(Ssid, Passphrase));
        (CrossoverNic air, _peer) = CrossoverNic.CreatePair(chip.MacAddress, new MacAddress(0x02_00_00_00_00_77));
        chip.Attach(air);
        _driver = new Cyw43439(new FullDuplexCyw43Bus(chip), chip.PowerLine, chip.HostWakeLine, new Cyw43Options { TimeProvider = clock });
        var random = new Random(1);
        byte[] firmware = new byte[4096], nvram = new byte[744], clm = new byte[984];
        random.NextBytes(firmware);
        random.NextBytes(nvram);
        random.NextBytes(clm);
        RunInVirtualTime(clock, _driver.InitializeAsync(new Cyw43Firmware(firmware, nvram, clm)));
        RunInVirtualTime(clock, _driver.JoinAsync(Ssid, Passphrase));
        _frame = new byte[Cyw43439.MaxEthernetFrameSize];
        chip.MacAddress.Write(_frame);
        random.NextBytes(_frame.AsSpan(6));
    }

    [GlobalCleanup]
    public void Cleanup() => _driver.Dispose();

    /// <summary>TryTransmit of a full frame, and the chip's credit top-ups the driver reads every few frames.</summary>
    [Benchmark]
    public bool TransmitFullFrame()
    {
        while (!_driver.TryTransmit(_frame))
            _driver.TryReceive(_buffer, out _);
        return _peer.TryReceive(_buffer, out _);
    }

    /// <summary>A full frame from the air, announced by the interrupt line, read with a STATUS read and one F2 read.</summary>
    [Benchmark]
    public int ReceiveFullFrame()
    {
        _peer.TryTransmit(_frame);
        _driver.TryReceive(_buffer, out int length);
        return length;
    }

    private static void RunInVirtualTime(VirtualClock clock, Task task)
    {
        while (!task.IsCompleted)
            clock.AdvanceTo(clock.NextTimerDue ?? clock.Elapsed + TimeSpan.FromMilliseconds(1));
        task.GetAwaiter().GetResult();
    }
}
