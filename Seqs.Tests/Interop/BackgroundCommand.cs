using System.Diagnostics;
using System.Text;

namespace Seqs.Tests.Interop;

/// <summary>A long-running program whose output is collected as it runs; Dispose kills it and its children.</summary>
internal sealed class BackgroundCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private BackgroundCommand(Process process, string command)
    {
        _process = process;
        Command = command;
    }

    public string Command { get; }

    /// <summary>Standard output and error so far, interleaved by line.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The started program's process id; a program that execs (<c>ip netns exec</c>, <c>env</c>, <c>sh -c 'exec …'</c>) keeps it.</summary>
    public int ProcessId => _process.Id;

    public int ExitCode => _process.ExitCode;

    public static BackgroundCommand Start(string fileName, IEnumerable<string> arguments)
    {
        ProcessStartInfo start = HostCommand.CreateStartInfo(fileName, arguments);
        var process = new Process { StartInfo = start };
        var command = new BackgroundCommand(process, HostCommand.Describe(start));
        process.OutputDataReceived += command.Append;
        process.ErrorDataReceived += command.Append;
        if (!process.Start())
            throw new InvalidOperationException($"Could not start '{command.Command}'.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return command;
    }

    /// <summary>Waits for the program to exit by itself; false if it is still running after <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            return false;
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        _process.Dispose();
    }

    private void Append(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
            return;
        lock (_output)
            _output.AppendLine(e.Data);
    }
}
