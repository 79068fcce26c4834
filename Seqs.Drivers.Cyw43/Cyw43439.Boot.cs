using Seqs.Diagnostics;
using Seqs.Drivers.Cyw43.Register.Backplane;
using Seqs.Drivers.Cyw43.Register.Bus;

namespace Seqs.Drivers.Cyw43;

public sealed partial class Cyw43439
{
    /// <summary>
    /// WL_REG_ON low for 20 ms, then high and 250 ms for the chip (embassy spi.rs init;
    /// docs/reference/cyw43439.md#power-up).
    /// </summary>
    private static readonly TimeSpan PowerOffTime = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan PowerOnSettleTime = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The waits inside a core disable or reset (embassy chip.rs; docs/reference/cyw43439.md#boot-sequence step 3).
    /// </summary>
    private static readonly TimeSpan CoreResetWait = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// BUS_CONTROL, response delay and status enable, written as one word (embassy spi.rs init's value
    /// 0x000304B1; docs/reference/cyw43439.md#handshake step 3): 32-bit words, high speed, interrupt active high,
    /// wake-up, response delay 4, STATUS_ENABLE and INTR_WITH_STATUS. ENDIAN_BIG stays 0, so words go most significant
    /// byte first.
    /// </summary>
    internal const uint BusConfiguration =
        BusControl.Word32 | BusControl.HighSpeed | BusControl.InterruptPolarityHigh | BusControl.WakeUp
        | 4u << 8
        | (uint)(StatusEnable.Enabled | StatusEnable.InterruptWithStatus) << 16;

    /// <summary>RESP_DELAY_F1: 4 filler bytes before F1 read data (embassy WHD_BUS_SPI_BACKPLANE_READ_PADD_SIZE).</summary>
    internal const int F1ResponseDelay = 4;

    /// <summary>
    /// The watermark written and read back to prove F1 works (embassy runner.rs;
    /// docs/reference/cyw43439.md#f1-registers).
    /// </summary>
    private const byte WatermarkProbe = 0x10;

    /// <summary>
    /// The F2 watermark once the firmware runs (embassy consts.rs SPI_F2_WATERMARK;
    /// docs/reference/cyw43439.md#boot-sequence step 9).
    /// </summary>
    private const byte F2Watermark = 0x20;

    private BootStep _step;
    private long _stepStart;

    /// <summary>
    /// Powers the chip up and boots <paramref name="firmware"/>: the gSPI handshake and configuration (embassy
    /// spi.rs init; docs/reference/cyw43439.md#handshake), then the backplane boot sequence (embassy runner.rs
    /// Runner::init; docs/reference/cyw43439.md#boot-sequence). Each wait is bounded by <see cref="Cyw43Options"/>.
    /// </summary>
    /// <exception cref="Cyw43BootException">A step failed or timed out; <see cref="Cyw43BootException.Step"/> says which.</exception>
    public async Task InitializeAsync(Cyw43Firmware firmware, CancellationToken cancellationToken = default)
    {
        if (firmware is null)
            throw new ArgumentNullException(nameof(firmware));
        ThrowIfDisposed();
        if (firmware.Clm.IsEmpty)
        {
            // embassy control.rs init and cyw43-driver cyw43_ll_wifi_on always load the CLM: without it the firmware
            // has no regulatory data and finds no channel to scan or join on.
            throw new Cyw43BootException(BootStep.Clm, "no CLM was given: the firmware needs the CLM blob (43439A0_clm.bin) for any channel to scan or join on; see the driver README, \"Firmware\".");
        }
        long start = _time.GetTimestamp();
        await RunBootStepsAsync(async () =>
        {
            await IdentifyStepsAsync(cancellationToken).ConfigureAwait(false);
            await ResetCoresAsync(cancellationToken).ConfigureAwait(false);
            Download(firmware);
            await StartFirmwareAsync(cancellationToken).ConfigureAwait(false);
            _firmwareRunning = true;
            await StartWlanAsync(firmware, cancellationToken).ConfigureAwait(false);
            lock (_busGate)
                TakeHostWakeLocked(); // the answers to the set-up ioctls latched F2_PACKET_AVAILABLE
        }).ConfigureAwait(false);
        IsInitialized = true;
        Log.Booted(_logger, ChipId, _busName, firmware.Firmware.Length, firmware.Nvram.Length, _time.GetElapsedTime(start));
    }

    /// <summary>
    /// Powers the chip up, brings up the gSPI bus and the backplane and reads the chip ID, without firmware: the first
    /// steps of <see cref="InitializeAsync"/>, for wiring checks. <see cref="TestPatternRead"/> and
    /// <see cref="ChipId"/> tell what was read. The chip stays powered; <see cref="InitializeAsync"/> power-cycles it.
    /// </summary>
    /// <exception cref="Cyw43BootException">A step failed or timed out; <see cref="Cyw43BootException.Step"/> says which.</exception>
    public async Task<ushort> IdentifyAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        await RunBootStepsAsync(() => IdentifyStepsAsync(cancellationToken)).ConfigureAwait(false);
        return ChipId;
    }

    /// <summary>Runs boot steps from a powered-down state of the driver; a failure becomes a <see cref="Cyw43BootException"/> naming the step.</summary>
    private async Task RunBootStepsAsync(Func<Task> steps)
    {
        IsInitialized = false;
        _firmwareRunning = false;
        try
        {
            await steps().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not Cyw43BootException and not OperationCanceledException and not ObjectDisposedException)
        {
            _firmwareRunning = false;
            throw new Cyw43BootException(_step, e.Message, e);
        }
        catch
        {
            _firmwareRunning = false;
            throw;
        }
    }

    private async Task IdentifyStepsAsync(CancellationToken cancellationToken)
    {
        await PowerUpAsync(cancellationToken).ConfigureAwait(false);
        await StartBusAsync(cancellationToken).ConfigureAwait(false);
        await StartClockAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PowerUpAsync(CancellationToken cancellationToken)
    {
        Begin(BootStep.PowerUp);
        _gspi.Reset();
        _backplane.Reset();
        ChipId = 0;
        TestPatternRead = 0;
        ResetSdpcmLocked();
        _powerOn.Write(false);
        _bus.PrepareForPowerUp();
        await DelayAsync(PowerOffTime, cancellationToken).ConfigureAwait(false);
        _powerOn.Write(true);
        await DelayAsync(PowerOnSettleTime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>docs/reference/cyw43439.md#handshake, steps 1-6, in embassy spi.rs init's order.</summary>
    private async Task StartBusAsync(CancellationToken cancellationToken)
    {
        Begin(BootStep.BusTestPattern);
        uint read = 0;
        await PollAsync(_options.BusReadyTimeout, () => (TestPatternRead = read = ReadF0(BusRegister.TestReadOnly, 4)) == TestPattern.ReadOnlyValue,
            () => read == TestPattern.ReadOnlyValueUnswapped
                ? $"the test register reads {read:X8}h, the pattern with its halves exchanged: the bus is already in 32-bit mode, so WL_REG_ON did not power-cycle the chip."
                : TestPattern.IsShiftedByOneBit(read)
                ? $"the test register reads {read:X8}h, FEEDBEADh shifted by one bit: the host samples on the wrong clock edge or the clock on {_busName} is too fast for rising-edge sampling; lower it (25 MHz is safe)."
                : $"no CYW43439 answered on {_busName}: the test register reads {read:X8}h, not FEEDBEADh. Check power, WL_REG_ON, CS, clock and data wiring.",
            cancellationToken).ConfigureAwait(false);

        Begin(BootStep.BusReadWriteTest);
        WriteF0(BusRegister.TestReadWrite, TestPattern.ReadWriteProbe, 4);
        Expect(ReadF0(BusRegister.TestReadWrite, 4), TestPattern.ReadWriteProbe, "the read/write test register");

        Begin(BootStep.BusConfiguration);
        WriteF0(BusRegister.BusControl, BusConfiguration, 4);
        _gspi.UseWord32(statusEnabled: true);
        Expect(ReadF0(BusRegister.TestReadOnly, 4), TestPattern.ReadOnlyValue, "the test register in 32-bit mode");
        Expect(ReadF0(BusRegister.TestReadWrite, 4), TestPattern.ReadWriteProbe, "the read/write test register in 32-bit mode");
        WriteF0(BusRegister.ResponseDelayF1, F1ResponseDelay, 1);
        _gspi.UseF1ResponseDelay(F1ResponseDelay);
        WriteF0(BusRegister.Interrupt, InterruptFlags.WriteOneToClear, 1);
        WriteF0(BusRegister.InterruptEnable, InterruptFlags.EnabledAtBusInit, 2);

        // embassy runner.rs Runner::init requests ALP before the watermark probe and waits for ALP_AVAIL after it.
        Begin(BootStep.BackplaneCheck);
        WriteF1(BackplaneRegister.ChipClockCsr, ChipClockCsr.AlpRequest);
        WriteF1(BackplaneRegister.Function2Watermark, WatermarkProbe);
        Expect(ReadF1(BackplaneRegister.Function2Watermark), WatermarkProbe, "the F2 watermark read back over F1");
    }

    /// <summary>
    /// embassy runner.rs Runner::init; docs/reference/cyw43439.md#boot-sequence steps 1-2: wait for the ALP clock
    /// requested before the watermark probe.
    /// </summary>
    private async Task StartClockAsync(CancellationToken cancellationToken)
    {
        Begin(BootStep.AlpClock);
        byte csr = 0;
        await PollAsync(_options.AlpClockTimeout, () => new ChipClockCsr(csr = ReadF1(BackplaneRegister.ChipClockCsr)).IsAlpAvailable,
            () => $"CHIP_CLOCK_CSR reads {csr:X2}h: ALP_AVAIL never came.", cancellationToken).ConfigureAwait(false);
        WriteF1(BackplaneRegister.ChipClockCsr, 0);

        Begin(BootStep.ChipId);
        ChipId = _backplane.Read16(Cyw43439Map.ChipCommon);
        if (ChipId != Cyw43439Map.ChipId)
            throw new Cyw43BootException(BootStep.ChipId, $"the chip ID reads {ChipId:X4}h ({ChipId}), not A9AFh (43439).");
    }

    /// <summary>embassy runner.rs Runner::init, chip.rs; docs/reference/cyw43439.md#boot-sequence steps 3-4.</summary>
    private async Task ResetCoresAsync(CancellationToken cancellationToken)
    {
        Begin(BootStep.CoreReset);
        await DisableCoreAsync(Cyw43439Map.WlanArmWrapper, cancellationToken).ConfigureAwait(false);
        await DisableCoreAsync(Cyw43439Map.SocSramWrapper, cancellationToken).ConfigureAwait(false);
        await ResetCoreAsync(Cyw43439Map.SocSramWrapper, cancellationToken).ConfigureAwait(false);
        _backplane.Write32(Cyw43439Map.SocSramBankIndex, Cyw43439Map.SocSramBank3);
        _backplane.Write32(Cyw43439Map.SocSramBankPda, 0);
    }

    /// <summary>
    /// embassy runner.rs Runner::init; docs/reference/cyw43439.md#boot-sequence steps 5-6: the firmware at 0, the NVRAM
    /// under the footer, both padded to 4 bytes.
    /// </summary>
    private void Download(Cyw43Firmware firmware)
    {
        Begin(BootStep.FirmwareDownload);
        WritePadded(Cyw43439Map.RamBase, firmware.Firmware.Span);

        Begin(BootStep.NvramDownload);
        WritePadded(Cyw43Firmware.NvramAddress(firmware.Nvram.Length), firmware.Nvram.Span);
        _backplane.Write32(Cyw43439Map.NvramFooter, Cyw43Firmware.NvramFooter(firmware.Nvram.Length));
    }

    /// <summary>embassy runner.rs Runner::init; docs/reference/cyw43439.md#boot-sequence steps 7-11.</summary>
    private async Task StartFirmwareAsync(CancellationToken cancellationToken)
    {
        Begin(BootStep.WlanCoreStart);
        await ResetCoreAsync(Cyw43439Map.WlanArmWrapper, cancellationToken).ConfigureAwait(false);
        byte ioControl = _backplane.Read8(CoreWrapper.IoControl(Cyw43439Map.WlanArmWrapper));
        byte resetControl = _backplane.Read8(CoreWrapper.ResetControl(Cyw43439Map.WlanArmWrapper));
        if ((ioControl & (CoreWrapper.IoControlForceGatedClock | CoreWrapper.IoControlClock)) != CoreWrapper.IoControlClock
            || (resetControl & CoreWrapper.ResetControlReset) != 0)
            throw new Cyw43BootException(BootStep.WlanCoreStart, $"the WLAN core is not up: IOCTRL {ioControl:X2}h, RESETCTRL {resetControl:X2}h.");

        Begin(BootStep.HtClock);
        byte csr = 0;
        await PollAsync(_options.HtClockTimeout, () => new ChipClockCsr(csr = ReadF1(BackplaneRegister.ChipClockCsr)).IsHtAvailable,
            () => $"CHIP_CLOCK_CSR reads {csr:X2}h: HT_AVAIL never came, so the firmware did not start. Check that the firmware and NVRAM files are the CYW43439's.",
            cancellationToken).ConfigureAwait(false);
        _backplane.Write32(Cyw43439Map.SdioIntHostMask, Cyw43439Map.SdioIntHostMaskValue);
        WriteF0(BusRegister.InterruptEnable, InterruptFlags.F2PacketAvailable, 2);
        WriteF1(BackplaneRegister.Function2Watermark, F2Watermark);

        Begin(BootStep.F2Ready);
        GspiStatus status = default;
        await PollAsync(_options.F2ReadyTimeout, () => (status = _gspi.ReadStatus()).F2ReceiveReady,
            () => $"the status word reads {status}: F2_RX_READY never came.", cancellationToken).ConfigureAwait(false);
        WriteF1(BackplaneRegister.PullUp, 0);
        ReadF1(BackplaneRegister.PullUp);
        // Keep the high-throughput clock requested from here on (cyw43-driver cyw43_ll_bus_sleep_helper writes
        // HT_AVAIL_REQ to CHIP_CLOCK_CSR while the bus is up).
        WriteF1(BackplaneRegister.ChipClockCsr, ChipClockCsr.HtRequest);
        var interrupts = _gspi.ReadInterrupts();
        if (interrupts.HasErrors)
        {
            if (_interruptErrorsLog.TryEnter(_time, out int suppressed))
                Log.InterruptErrors(_logger, interrupts.ToString(), LogGate.Note(suppressed));
            _gspi.ClearInterrupts(interrupts.ToUInt16());
        }
    }

    /// <summary>
    /// embassy runner.rs core_disable; docs/reference/cyw43439.md#boot-sequence step 3: nothing to do when already in
    /// reset; else IOCTRL = 0, wait, RESETCTRL = 1, wait.
    /// </summary>
    private async Task DisableCoreAsync(uint wrapper, CancellationToken cancellationToken)
    {
        if ((_backplane.Read8(CoreWrapper.ResetControl(wrapper)) & CoreWrapper.ResetControlReset) != 0)
            return;
        _backplane.Write8(CoreWrapper.IoControl(wrapper), 0);
        _backplane.Read8(CoreWrapper.IoControl(wrapper));
        await DelayAsync(CoreResetWait, cancellationToken).ConfigureAwait(false);
        _backplane.Write8(CoreWrapper.ResetControl(wrapper), CoreWrapper.ResetControlReset);
        await DelayAsync(CoreResetWait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// embassy runner.rs core_reset; docs/reference/cyw43439.md#boot-sequence step 3: disable; IOCTRL = FGC|CLK;
    /// RESETCTRL = 0; wait; IOCTRL = CLK; wait.
    /// </summary>
    private async Task ResetCoreAsync(uint wrapper, CancellationToken cancellationToken)
    {
        await DisableCoreAsync(wrapper, cancellationToken).ConfigureAwait(false);
        _backplane.Write8(CoreWrapper.IoControl(wrapper), CoreWrapper.IoControlForceGatedClock | CoreWrapper.IoControlClock);
        _backplane.Read8(CoreWrapper.IoControl(wrapper));
        _backplane.Write8(CoreWrapper.ResetControl(wrapper), 0);
        await DelayAsync(CoreResetWait, cancellationToken).ConfigureAwait(false);
        _backplane.Write8(CoreWrapper.IoControl(wrapper), CoreWrapper.IoControlClock);
        _backplane.Read8(CoreWrapper.IoControl(wrapper));
        await DelayAsync(CoreResetWait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="image"/> with its last partial word padded with zeros to 4 bytes.</summary>
    private void WritePadded(uint address, ReadOnlySpan<byte> image)
    {
        int whole = image.Length & ~3;
        _backplane.Write(address, image[..whole]);
        if (whole == image.Length)
            return;
        Span<byte> tail = stackalloc byte[4];
        tail.Clear();
        image[whole..].CopyTo(tail);
        _backplane.Write(address + (uint)whole, tail);
    }

    private uint ReadF0(BusRegister register, int length) => _gspi.Read(BusFunction.Bus, (int)register, length);

    private void WriteF0(BusRegister register, uint value, int length) => _gspi.Write(BusFunction.Bus, (int)register, value, length);

    private byte ReadF1(BackplaneRegister register) => (byte)_gspi.Read(BusFunction.Backplane, (int)register, 1);

    private void WriteF1(BackplaneRegister register, byte value) => _gspi.Write(BusFunction.Backplane, (int)register, value, 1);

    private void Expect(uint read, uint expected, string what)
    {
        if (read != expected)
            throw new Cyw43BootException(_step, $"{what} reads {read:X8}h, not {expected:X8}h.");
    }

    private void Begin(BootStep step)
    {
        if (step != BootStep.PowerUp)
            Log.StepDone(_logger, _step, _time.GetElapsedTime(_stepStart), _gspi.Transactions);
        _step = step;
        _stepStart = _time.GetTimestamp();
    }

    private async Task PollAsync(TimeSpan timeout, Func<bool> done, Func<string> failure, CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (done())
                return;
            if (_time.GetElapsedTime(start) >= timeout)
                throw new Cyw43BootException(_step, $"{failure()} (waited {timeout.TotalMilliseconds:F0} ms)");
            await DelayAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) => InlineDelay.Start(_time, delay, cancellationToken);
}
