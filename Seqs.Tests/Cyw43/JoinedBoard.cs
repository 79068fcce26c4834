using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Emulation;
using Seqs.Simulation;
using Seqs.Wire;

namespace Seqs.Tests.Cyw43;

/// <summary>
/// The driver joined to the emulated access point, with the chip's air side on a crossover cable whose other end
/// (<see cref="Peer"/>) the test drives by hand: no simulation loop, so every gSPI transaction is the test's doing.
/// </summary>
internal sealed class JoinedBoard : IDisposable
{
    public JoinedBoard(Action<Cyw43Emulator>? configure = null)
    {
        Board = WifiTests.Booted(new EmulatedAccessPoint(EmulatedWifiNetwork.Ssid, EmulatedWifiNetwork.Passphrase));
        configure?.Invoke(Board.Chip);
        (CrossoverNic air, CrossoverNic peer) = CrossoverNic.CreatePair(Board.Chip.MacAddress, PeerMac);
        Peer = peer;
        Board.Chip.Attach(air);
        Task<WifiJoinResult> join = Driver.JoinAsync(EmulatedWifiNetwork.Ssid, EmulatedWifiNetwork.Passphrase);
        VirtualTime.Run(Board.Clock, join);
        Assert.That(join.Result, Is.EqualTo(WifiJoinResult.Joined));
    }

    public static MacAddress PeerMac { get; } = new(0x02_00_00_00_00_77);

    public EmulatedCyw43Board Board { get; }

    public Cyw43439 Driver => Board.Driver;

    public Cyw43Emulator Chip => Board.Chip;

    /// <summary>The access point's side of the air.</summary>
    public CrossoverNic Peer { get; }

    /// <summary>A full-size (1514-byte) frame, or shorter, to the chip's address.</summary>
    public byte[] Frame(int length = Cyw43439.MaxEthernetFrameSize, byte seed = 0) => PatternFrame.Create(length, Chip.MacAddress, seed);

    public void Dispose() => Board.Dispose();
}
