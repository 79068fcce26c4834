using Seqs.Http;
using Seqs.Simulation;
using Seqs.Tcp;
using Seqs.Wire;

namespace Seqs.Fuzz;

/// <summary>
/// The HTTP client's response reader against a server that answers a GET with the fuzzer's bytes. Stack A's
/// <see cref="HttpUserAgent"/> asks stack B, whose raw server reads the request and writes the input in pieces (the
/// input sets where the pieces break and whether the server then closes), in virtual time. The documented outcomes
/// are a response, an <see cref="IOException"/> for a malformed one, or a <see cref="TimeoutException"/>; anything
/// else is a finding. A response's body stays within the size limit.
/// </summary>
public sealed class HttpResponseTarget : IFuzzTarget
{
    private const ushort Port = 80;
    private static readonly HttpUserAgentOptions Options = new() { Timeout = TimeSpan.FromSeconds(5), MaxResponseBodySize = 64 * 1024, MaxResponseHeadersSize = 4096 };

    public string Name => "http-response";

    public void Run(ReadOnlySpan<byte> input)
    {
        var script = new FuzzInput(input);
        byte shape = script.TakeByte();
        bool close = (shape & 1) == 0;
        int piece = 1 + (shape >> 1);
        byte[] answer = script.TakeRest().ToArray();

        using var pair = new SimulatedPair(new LinkFaults { PropagationDelay = TimeSpan.FromMilliseconds(1) });
        using var listener = new TcpListener(pair.B.Tcp, Port);
        _ = pair.LoopB.InvokeAsync(async () =>
        {
            listener.Start();
            using TcpConnection connection = await listener.AcceptAsync();
            byte[] request = new byte[1024];
            int got = 0;
            while (request.AsSpan(0, got).IndexOf("\r\n\r\n"u8) < 0)
            {
                int n = await connection.ReadAsync(request.AsMemory(got));
                if (n == 0)
                    return;
                got += n;
            }
            for (int at = 0; at < answer.Length; at += piece)
                await connection.WriteAsync(answer.AsMemory(at, Math.Min(piece, answer.Length - at)));
            if (!close)
                await Task.Delay(Timeout.InfiniteTimeSpan, pair.LoopB.TimeProvider);
        });
        using var client = new HttpUserAgent(pair.A, Options);
        // Called from outside the loop: the returned task completes on the loop, within the run (an InvokeAsync around
        // it would complete it later, on a pool thread).
        Task<HttpUserAgentResponse> get = client.GetAsync(new Ipv4EndPoint(SimulatedPair.AddressB, Port), "/");
        pair.Simulation.RunUntil(() => get.IsCompleted, Options.Timeout + TimeSpan.FromSeconds(1));
        InvariantViolation.Check(get.IsCompleted, "the exchange ends within the client's timeout");
        if (get.IsCompletedSuccessfully)
        {
            HttpUserAgentResponse response = get.Result;
            InvariantViolation.Check(response.Body.Length <= Options.MaxResponseBodySize, "a body within MaxResponseBodySize");
            InvariantViolation.Check(response.StatusCode is >= 100 and <= 599 && response.MinorVersion is 0 or 1, "a status from 100 to 599 (RFC 9110 §15) of HTTP/1.0 or 1.1");
            return;
        }
        Exception failure = get.Exception!.InnerException!;
        if (failure is not (IOException or TimeoutException))
            throw new InvariantViolation($"the reader failed with {failure.GetType().Name}, not an IOException or TimeoutException", failure);
    }
}
