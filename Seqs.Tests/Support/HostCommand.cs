using System.Diagnostics;

namespace Seqs.Tests.Support;

/// <summary>Runs a program in the test process's own network namespace and waits for it, with a timeout.</summary>
internal static class HostCommand
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static CommandResult Run(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        ProcessStartInfo start = CreateStartInfo(fileName, arguments);
        string command = Describe(start);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{command}'.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        TimeSpan limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"'{command}' did not finish within {limit.TotalSeconds} s; it was killed. Output so far: {output.Result} {error.Result}");
        }
        process.WaitForExit();
        return new CommandResult(command, process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs the program and throws, with its output, unless it exits with 0.</summary>
    public static CommandResult RunChecked(string fileName, params string[] arguments)
    {
        CommandResult result = Run(fileName, arguments);
        if (result.ExitCode != 0)
            throw new InvalidOperationException(result.ToString());
        return result;
    }

    public static ProcessStartInfo CreateStartInfo(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        // Tools print their messages in English, which the tests read.
        start.Environment["LC_ALL"] = "C";
        return start;
    }

    public static string Describe(ProcessStartInfo start) =>
        string.Join(' ', start.ArgumentList.Prepend(start.FileName).Select(a => a.Contains(' ') ? $"'{a}'" : a));
}
