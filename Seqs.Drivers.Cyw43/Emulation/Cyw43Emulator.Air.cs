using Seqs.Drivers.Cyw43.Register.Sdpcm;
using Seqs.Hal;

namespace Seqs.Drivers.Cyw43.Emulation;

public sealed partial class Cyw43Emulator
{
    private IEthernetNic? _air;
    private Action? _pumpAir;
    private bool _airWaitsForRoom;
    private bool _pumpAirAfterExchange;
    private int _dataHeaderLength = SdpcmHeader.Length;
    private int _dataOffsetWords;

    /// <summary>Ethernet frames the host sent on the data channel since power-up.</summary>
    public long DataFramesFromHost { get; private set; }

    /// <summary>Ethernet frames queued for the host on the data channel since power-up.</summary>
    public long DataFramesToHost { get; private set; }

    /// <summary>Frames lost because no access point was associated (either direction) or the air refused them.</summary>
    public long DataFramesDropped { get; private set; }

    /// <summary>
    /// The SDPCM header length of data frames to the host: 12 by default; larger values put pad bytes before the
    /// BDC header, which the host must skip (embassy runner.rs rx; docs/reference/cyw43439.md#sdpcm-receive-checks).
    /// </summary>
    public int DataHeaderLength
    {
        get => _dataHeaderLength;
        set => _dataHeaderLength = value is >= SdpcmHeader.Length and <= 64
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The SDPCM header length is 12 to 64 bytes here.");
    }

    /// <summary>
    /// The BDC data offset, in words, of data frames to the host: 0 by default (embassy structs.rs BdcHeader;
    /// docs/reference/cyw43439.md#bdc-header).
    /// </summary>
    public int DataOffsetWords
    {
        get => _dataOffsetWords;
        set => _dataOffsetWords = value is >= 0 and <= 8
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The BDC data offset is 0 to 8 words here.");
    }

    /// <summary>
    /// Puts the chip's radio on <paramref name="air"/>: a <c>VirtualNic</c> on a simulated link or switch, or a host
    /// TAP NIC, standing for the access point's network. While associated, Ethernet frames the host sends on the data
    /// channel go to <see cref="IEthernetNic.TryTransmit"/> and frames the air receives are queued for the host; the
    /// air's wake-up drives that. A frame waits on the air while the host queue is full.
    /// </summary>
    public void Attach(IEthernetNic air)
    {
        if (air is null)
            throw new ArgumentNullException(nameof(air));
        lock (_gate)
        {
            if (_air is not null)
                throw new InvalidOperationException("The emulated chip already has an air side attached.");
            _air = air;
            _pumpAir = PumpAir;
        }
        PumpAir();
    }

    /// <summary>Takes every frame the air holds that the host queue has room for; re-arms the air's wake-up when it is drained.</summary>
    private void PumpAir()
    {
        IEthernetNic? air = _air;
        if (air is null)
            return;
        bool drained;
        bool edge;
        lock (_gate)
        {
            drained = DrainAir(air);
            edge = UpdateHostWake();
        }
        if (edge)
            _hostWake.RaiseEdge();
        if (drained)
            air.ArmWakeUp(_pumpAir!);
    }

    /// <summary>Returns false when the host queue filled up with frames still on the air.</summary>
    private bool DrainAir(IEthernetNic air)
    {
        int bdcAt = _dataHeaderLength;
        int frameAt = bdcAt + BdcHeader.Length + _dataOffsetWords * 4;
        while (true)
        {
            if (_toHost.IsFull)
            {
                _airWaitsForRoom = true;
                return false;
            }
            Span<byte> slot = _toHost.Reserve();
            if (!air.TryReceive(slot[frameAt..], out int length))
                return true;
            if (_associated is null || !_powered)
            {
                DataFramesDropped++;
                continue;
            }
            int size = frameAt + length;
            SdpcmHeader.Write(slot, size, _chipSequence++, SdpcmChannel.Data, bdcAt, GrantCredit(), _flowControl);
            BdcHeader.Write(slot[bdcAt..], BdcHeader.VersionFlags, dataOffsetWords: _dataOffsetWords);
            CommitHostFrame(size);
            DataFramesToHost++;
        }
    }

    /// <summary>A data-channel payload from the host: the BDC header, then the Ethernet frame for the air.</summary>
    private void AcceptHostDataFrame(ReadOnlySpan<byte> payload)
    {
        if (!BdcHeader.TryCreate(payload, out var bdc))
        {
            _violations.Add("a data frame without a BDC header");
            return;
        }
        if (bdc.Flags != BdcHeader.VersionFlags)
            _violations.Add($"a data frame with BDC flags {bdc.Flags:X2}h, not 20h");
        DataFramesFromHost++;
        if (_associated is null || _air is null || !_air.TryTransmit(bdc.Payload))
            DataFramesDropped++;
    }

    /// <summary>A frame left the host queue: frames held on the air may move in after this exchange.</summary>
    private void OnHostFrameTaken()
    {
        if (_airWaitsForRoom)
        {
            _airWaitsForRoom = false;
            _pumpAirAfterExchange = true;
        }
    }

    /// <summary>Called by <see cref="Exchange"/> once its lock is released.</summary>
    private void AfterExchange()
    {
        if (_pumpAirAfterExchange)
        {
            _pumpAirAfterExchange = false;
            PumpAir();
        }
    }
}
