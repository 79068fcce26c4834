using Microsoft.Extensions.Logging;
using Seqs.Device;
using Seqs.Dhcp;

if (!DeviceOptions.TryParse(args, out DeviceOptions options, out string error))
{
    Console.Error.WriteLine($"seqs: {error}");
    return 2;
}

using ILoggerFactory loggers = LoggerFactory.Create(builder => builder
    .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss ";
    })
    // DhcpAddressing writes the lease, renewal and release lines; the client itself only its warnings (a lost lease, a conflict).
    .AddFilter(typeof(DhcpClient).FullName, LogLevel.Warning));
using var stop = new CancellationTokenSource();
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal);
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal);

try
{
    if (!options.IsSimulated)
        return await NicDevice.RunAsync(options, loggers, stop.Token);
    return options.ChipEmulator
        ? await SimulatedLan.RunAsync(loggers, "an emulated ENC28J60", (cable, clock) => EmulatedEnc28j60.Attach(cable, cable.MacAddress, clock, loggers, holdWhileFull: false), stop.Token)
        : await SimulatedLan.RunAsync(loggers, "a virtual NIC", attachNic: null, stop.Token);
}
catch (DeviceStartException e)
{
    Console.Error.WriteLine($"seqs: {e.Message}");
    return 1;
}

void OnSignal(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
