using Seqs.Drivers.Cyw43;
using Seqs.Drivers.Cyw43.Samples;
using Seqs.Scheduling;
using Seqs.Stack;
using Seqs.Wire;

// Brings a CYW43439 up (power, firmware, join), gives the stack a static address and pings a peer four times,
// printing each reply; PASSPHRASE - joins an open network:
//   Cyw43.Samples 192.168.1.50/24 192.168.1.1 SSID PASSPHRASE 43439A0.bin nvram_rp2040.bin 43439A0_clm.bin
//       the chip on /dev/spidev0.0 (3-wire), WL_REG_ON on GPIO 23, host wake on GPIO 24
//   Cyw43.Samples 192.168.1.50/24 192.168.1.1 SSID PASSPHRASE --emulator
//       the chip emulator, near an access point SSID whose network holds a simulated peer
bool emulated = args.Contains("--emulator");
if (args.Length < (emulated ? 5 : 7) || !Ipv4Cidr.TryParse(args[0], out Ipv4Cidr address) || !Ipv4Address.TryParse(args[1], null, out Ipv4Address peer))
{
    Console.Error.WriteLine("usage: Cyw43.Samples ADDRESS/PREFIX PEER SSID PASSPHRASE (FIRMWARE NVRAM CLM | --emulator)");
    return 2;
}
string ssid = args[2];
string? passphrase = args[3] == "-" ? null : args[3];

using EmulatedWifi? air = emulated ? new EmulatedWifi(ssid, passphrase, new Ipv4Cidr(peer, address.PrefixLength)) : null;
using Cyw43439 wifi = air?.Driver ?? (OperatingSystem.IsLinux()
    ? new Cyw43439(new SpidevCyw43Bus(busId: 0, chipSelectLine: 0), powerOnPin: 23, hostWakePin: 24)
    : throw new PlatformNotSupportedException("spidev needs Linux."));
Wait(wifi.InitializeAsync(air?.Firmware ?? Cyw43Firmware.FromFiles(args[4], args[5], args[6])));
Task<WifiJoinResult> join = wifi.JoinAsync(ssid, passphrase);
Wait(join);
if (join.Result != WifiJoinResult.Joined)
{
    Console.Error.WriteLine($"Joining '{ssid}' failed: {join.Result}");
    return 1;
}
Console.WriteLine($"CYW43439 up as {wifi.MacAddress}, joined to '{ssid}', {address}");

using var loop = new NetLoop(air?.Clock ?? TimeProvider.System);
air?.Drive(loop);
var stack = new NetStack(loop, wifi);
stack.Configure(address);
using var stop = new CancellationTokenSource();
Task running = air is null ? loop.Start(stop.Token) : Task.CompletedTask;

int answered = 0;
for (int sequence = 1; sequence <= 4; sequence++)
{
    Task<PingReply> ping = stack.PingAsync(peer, TimeSpan.FromSeconds(1));
    Wait(ping);
    PingReply reply = ping.Result;
    answered += reply.Status == PingStatus.Success ? 1 : 0;
    Console.WriteLine($"icmp_seq={sequence} {reply}");
}

stop.Cancel();
running.Wait();
return answered > 0 ? 0 : 1;

// On the chip, the loop runs on its own thread and this one waits; on the emulator, waiting runs the simulation.
void Wait(Task task)
{
    if (air is null)
        task.GetAwaiter().GetResult();
    else
        air.RunUntilCompleted(task);
}
