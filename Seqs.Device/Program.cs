using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seqs.Device;
using Seqs.Device.Bridge;
using Seqs.Device.Diagnostics;
using Seqs.Dhcp;
using Seqs.Ntp;

// seqs-device [COMMAND TARGET] [switches]: the service, one diagnostic job, or the serial-to-TAP bridge; seqs-device
// scan [switches]: a Wi-Fi scan; seqs-device doctor [switches]: the wiring checks of the chip --nic names.
if (args.Length > 0 && args[0] == SerialBridgeCommand.Name)
    return SerialBridgeCommand.Run(args[1..], Console.Out, Console.Error);
string[] switches = args;
IDiagnosticJob? job = null;
string error;
bool scan = args.Length > 0 && args[0] == WifiScanCommand.Name;
bool doctor = args.Length > 0 && args[0] == DoctorCommand.Name;
if (scan || doctor)
    switches = args[1..];
else if (args.Length > 0 && DiagnosticCommand.IsCommand(args[0]) && !DiagnosticCommand.TryCreate(args, Console.Error, out job, out switches, out error))
    return Refuse(error, 2);
if (!DeviceCommandLine.TryRead(switches, DeviceOptions.Switches, out Dictionary<string, string?> commandLine, out error))
    return Refuse(error, 2);
string environment = Environment.GetEnvironmentVariable("SEQS_ENVIRONMENT") ?? Environments.Production;
// Lowest precedence first: appsettings.json next to the program, the SEQS_ environment, the command line.
IConfiguration configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddJsonFile($"appsettings.{environment}.json", optional: true)
    .AddEnvironmentVariables("SEQS_")
    .AddInMemoryCollection(commandLine)
    .Build();
if (!DeviceOptions.TryRead(configuration, out DeviceOptions options, out error, chipOnly: scan || doctor))
    return Refuse(error, 2);

if (job is not null || scan || doctor)
{
    // A diagnostic prints its result; the device's own lines would only be in the way.
    using ILoggerFactory loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    if (job is not null)
        return await DiagnosticCommand.RunAsync(job, options, loggers, Console.Out, Console.Error, cancel.Token);
    return doctor
        ? await DoctorCommand.RunAsync(options, loggers, Console.Out, Console.Error, cancel.Token)
        : await WifiScanCommand.RunAsync(options, loggers, Console.Out, Console.Error, cancel.Token);
}

HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
{
    ContentRootPath = AppContext.BaseDirectory,
    EnvironmentName = environment,
});
builder.Configuration.AddConfiguration(configuration);
builder.Logging
    .AddConfiguration(builder.Configuration.GetSection("Logging"))
    .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss ";
    })
    // The host's own start and stop lines say nothing the device does not.
    .AddFilter("Microsoft", LogLevel.Warning)
    // DhcpAddressing writes the lease, renewal and release lines; the client itself only its warnings (a lost lease, a conflict).
    .AddFilter(typeof(DhcpClient).FullName, LogLevel.Warning)
    // NetworkTimeService writes each synchronisation; the client itself only its warnings.
    .AddFilter(typeof(NtpClient).FullName, LogLevel.Warning);
builder.Services.AddSystemd();
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
builder.Services.AddSingleton<IDevice>(services => DeviceFactory.Open(options, services.GetRequiredService<ILoggerFactory>()));
builder.Services.AddSingleton<DeviceService>();
builder.Services.AddHostedService(services => services.GetRequiredService<DeviceService>());

using IHost host = builder.Build();
DeviceService device;
try
{
    device = host.Services.GetRequiredService<DeviceService>();
}
catch (DeviceStartException e)
{
    return Refuse(e.Message, 1);
}
await host.RunAsync();
return device.ExitCode;

static int Refuse(string problems, int exitCode)
{
    foreach (string problem in problems.Split('\n'))
        Console.Error.WriteLine($"seqs: {problem}");
    return exitCode;
}
