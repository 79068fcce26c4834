using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Seqs.Wire;

/// <summary>Exceptions for misuse of the wire writers; the receive path never throws.</summary>
internal static class WireThrow
{
    [DoesNotReturn]
    public static void DestinationTooShort(string paramName, int required, int actual) =>
        throw new ArgumentException(
            string.Format(CultureInfo.InvariantCulture, "The buffer holds {0} octets; {1} are needed.", actual, required),
            paramName);

    [DoesNotReturn]
    public static void OutOfRange(string paramName, int actual, string message) =>
        throw new ArgumentOutOfRangeException(paramName, actual, message);
}
