namespace Seqs.Tests.Support;

/// <summary>How a finished command ended and what it printed.</summary>
internal readonly record struct CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"'{Command}' exited with {ExitCode}; stdout: {StandardOutput.Trim()}; stderr: {StandardError.Trim()}";
}
