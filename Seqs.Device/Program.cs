using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Seqs.Device;
using Seqs.Dhcp;
using Seqs.Ntp;

// Configuration, lowest precedence first: appsettings.json next to the program, the SEQS_ environment, the command line.
if (!DeviceCommandLine.TryRead(args, DeviceOptions.Switches, out Dictionary<string, string?> commandLine, out string error))
    return Refuse(error, 2);
HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
{
    ContentRootPath = AppContext.BaseDirectory,
    EnvironmentName = Environment.GetEnvironmentVariable("SEQS_ENVIRONMENT") ?? Environments.Production,
});
builder.Configuration
    .AddJsonFile("appsettings.json", optional: true)
    .AddJsonFile($"appsettings.{builder.Environment.EnvironmentName}.json", optional: true)
    .AddEnvironmentVariables("SEQS_")
    .AddInMemoryCollection(commandLine);
if (!DeviceOptions.TryRead(builder.Configuration, out DeviceOptions options, out error))
    return Refuse(error, 2);

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
builder.Services.AddSingleton(options);
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
