using System.Device.Spi;
using Seqs.Drivers.Enc28j60;
using Seqs.Drivers.Enc28j60.Samples;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Wire;

// Brings an ENC28J60 up, gives the stack a static address and pings a peer four times, printing each reply:
//   Enc28j60.Samples 192.168.1.50/24 192.168.1.1
//       the chip on /dev/spidev0.0, INT on GPIO 25, RESET on GPIO 24
//   Enc28j60.Samples 192.168.1.50/24 192.168.1.1 --emulator
//       the chip emulator, cabled to a simulated peer
if (args.Length < 2 || !Ipv4Cidr.TryParse(args[0], out Ipv4Cidr address) || !Ipv4Address.TryParse(args[1], null, out Ipv4Address peer))
{
    Console.Error.WriteLine("usage: Enc28j60.Samples ADDRESS/PREFIX PEER [--emulator]");
    return 2;
}

using EmulatedLan? lan = args.Contains("--emulator") ? new EmulatedLan(new Ipv4Cidr(peer, address.PrefixLength)) : null;
using Enc28j60 nic = lan?.Driver ?? new Enc28j60(
    SpiDevice.Create(new SpiConnectionSettings(busId: 0, chipSelectLine: 0) { ClockFrequency = Enc28j60.SpiClockFrequency, Mode = Enc28j60.SpiMode }),
    interruptPin: 25, resetPin: 24);
Console.WriteLine($"ENC28J60 rev {nic.Revision:X2}h up as {nic.MacAddress}, {address}");

using var loop = new NetLoop(lan?.Clock ?? TimeProvider.System);
lan?.Drive(loop);
var stack = new NetStack(loop, nic);
stack.Configure(address);
using var stop = new CancellationTokenSource();
Task running = lan is null ? loop.Start(stop.Token) : Task.CompletedTask;

int answered = 0;
for (int sequence = 1; sequence <= 4; sequence++)
{
    Task<PingReply> ping = stack.PingAsync(peer, TimeSpan.FromSeconds(1));
    // On the chip the loop runs on its own thread and this one waits; on the emulator, waiting runs the simulation.
    PingReply reply = lan is null ? ping.GetAwaiter().GetResult() : lan.RunUntilCompleted(ping);
    answered += reply.Status == PingStatus.Success ? 1 : 0;
    Console.WriteLine($"icmp_seq={sequence} {reply}");
}

stop.Cancel();
running.Wait();
return answered > 0 ? 0 : 1;
