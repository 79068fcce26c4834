using Microsoft.Extensions.Logging;
using Seqs.Device;

if (!DeviceOptions.TryParse(args, out DeviceOptions options, out string error))
{
    Console.Error.WriteLine($"seqs: {error}");
    return 2;
}

using ILoggerFactory loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss ";
}));
using var stop = new CancellationTokenSource();
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, OnSignal);
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, OnSignal);

try
{
    return options.Nic == DeviceOptions.SimulatedNicName
        ? await SimulatedLan.RunAsync(loggers, stop.Token)
        : await TapDevice.RunAsync(options, loggers, stop.Token);
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
