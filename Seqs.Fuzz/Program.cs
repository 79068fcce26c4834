using SharpFuzz;
using Seqs.Fuzz;

// seqs-fuzz TARGET: runs TARGET under afl-fuzz (SharpFuzz's fork server), or once on standard input without it.
if (args.Length != 1 || FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine($"usage: Seqs.Fuzz TARGET   (targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))})");
    return 2;
}
Fuzzer.Run(stream =>
{
    using var input = new MemoryStream();
    stream.CopyTo(input);
    target.Run(input.GetBuffer().AsSpan(0, (int)input.Length));
});
return 0;
