namespace Seqs.Drivers.Cyw43.Emulation;

public sealed partial class Cyw43Emulator
{
    private readonly List<byte[]> _f2Written = [];

    /// <summary>F2 writes since the firmware started, as raw bytes (SDPCM framing is not modelled yet).</summary>
    public IReadOnlyList<byte[]> F2Writes
    {
        get
        {
            lock (_gate)
                return _f2Written.ToArray();
        }
    }

    /// <summary>The length of the F2 frame waiting for the host; 0 when none (no F2 receive path yet).</summary>
    private int F2PacketLength => 0;

    private void ResetWlan() => _f2Written.Clear();

    private void WriteWlan(ReadOnlySpan<byte> data)
    {
        if (!F2ReceiveReady)
        {
            _violations.Add($"a {data.Length}-byte F2 write before F2_RX_READY");
            return;
        }
        _f2Written.Add(data.ToArray());
    }

    private void ReadWlan(Span<byte> data)
    {
        data.Clear();
        _interruptLatched |= Register.Bus.InterruptFlags.DataUnavailable;
    }

    private static void DropF2Frame()
    {
    }
}
