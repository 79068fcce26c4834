using Microsoft.Extensions.Logging;

namespace Seqs.Fuzz;

/// <summary>
/// A logger that keeps the exceptions the stack and its services catch so that one bad frame or message costs only
/// itself (a frame handler, a DHCP message handler, an HTTP connection that failed inside the server). Such a
/// catch keeps a device running but marks a bug, which the fuzz targets must see: they check that none was logged.
/// </summary>
internal sealed class SwallowedFailures : ILoggerFactory, ILogger
{
    private static readonly HashSet<string> BugEvents = ["FrameHandlingFailed", "MessageHandlingFailed", "ConnectionFailed"];

    public List<Exception> Caught { get; } = [];

    public ILogger<T> For<T>() => new Logger<T>(this);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (exception is not null && eventId.Name is { } name && BugEvents.Contains(name))
            Caught.Add(exception);
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public void Check()
    {
        if (Caught.Count > 0)
            throw new InvariantViolation($"a handler caught {Caught[0].GetType().Name}, a bug it kept from the loop", Caught[0]);
    }
}
