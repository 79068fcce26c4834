namespace Seqs.Dns;

/// <summary>A name could not be resolved; <see cref="Error"/> says why (NXDOMAIN is <see cref="DnsResolveError.NameError"/>).</summary>
public sealed class DnsResolveException : Exception
{
    public DnsResolveException()
        : this(string.Empty, DnsResolveError.TimedOut)
    {
    }

    public DnsResolveException(string message)
        : this(message, DnsResolveError.TimedOut)
    {
    }

    public DnsResolveException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = string.Empty;
        Error = DnsResolveError.TimedOut;
    }

    public DnsResolveException(string name, DnsResolveError error)
        : base($"Resolving '{name}' failed: {error}.")
    {
        Name = name;
        Error = error;
    }

    /// <summary>The name that was asked for.</summary>
    public string Name { get; }

    public DnsResolveError Error { get; }
}
