using Microsoft.Extensions.Logging;

namespace Seqs.Tests.Device;

/// <summary>Keeps every message logged to it, formatted, with its level.</summary>
internal class RecordingLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception)));
}

/// <summary>A <see cref="RecordingLogger"/> for a component that takes an <see cref="ILogger{TCategoryName}"/>.</summary>
internal sealed class RecordingLogger<TCategoryName> : RecordingLogger, ILogger<TCategoryName>;
