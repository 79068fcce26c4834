using Seqs.Drivers.Enc28j60.Register.Control;
using Seqs.Drivers.Enc28j60.Register.Phy;

namespace Seqs.Drivers.Enc28j60.Emulation;

public sealed partial class Enc28j60Emulator
{
    private readonly ushort[] _phy = new ushort[32];
    private bool _linkUp = true;
    private int _miiBusyRemaining;

    /// <summary>
    /// How many MISTAT reads show BUSY after a PHY read or write starts: a stand-in for the 10.24 µs of §3.3.
    /// </summary>
    public int MiiBusyPolls { get; set; } = 2;

    /// <summary>Whether the cable is plugged in and a partner's link pulses are seen.</summary>
    public bool LinkUp
    {
        get => _linkUp;
        set
        {
            lock (_gate)
                SetLink(value);
            RaiseDeferredEvents();
        }
    }

    /// <summary>
    /// PHCON1.PLOOPBK (DS39662E Table 3-3): frames the MAC sends come back to its
    /// receiver instead of going out on TPOUT.
    /// </summary>
    private bool IsLoopingBack => (_phy[(int)PhyRegister.Phcon1] & Phcon1.PLoopbk) != 0;

    /// <summary>A PHY register as the chip holds it, without read side effects.</summary>
    internal ushort PeekPhy(PhyRegister register)
    {
        lock (_gate)
            return _phy[(int)register];
    }

    private void ResetPhy()
    {
        Array.Clear(_phy, 0, _phy.Length);
        _phy[(int)PhyRegister.Phid1] = 0x0083;
        _phy[(int)PhyRegister.Phid2] = 0x1400;
        _phy[(int)PhyRegister.Phlcon] = 0x3422;
        _phy[(int)PhyRegister.Phstat1] = Phstat.FullDuplexCapable | Phstat.HalfDuplexCapable;
        _miiBusyRemaining = 0;
        UpdatePhyStatus();
    }

    private void SetLink(bool up)
    {
        if (_linkUp == up)
            return;
        _linkUp = up;
        if (!up)
            _phy[(int)PhyRegister.Phstat1] &= unchecked((ushort)~Phstat.LatchedLinkStatus);
        UpdatePhyStatus();
        _phy[(int)PhyRegister.Phir] |= Phie.PLnkIf;
        ushort enabled = _phy[(int)PhyRegister.Phie];
        // §12.1.5: a link change reaches EIR.LINKIF only with both PHIE.PLNKIE and PHIE.PGEIE set.
        if ((enabled & Phie.PLnkIe) != 0 && (enabled & Phie.PGeIe) != 0)
            SetInterruptFlag(Eir.LinkIf);
    }

    private void UpdatePhyStatus()
    {
        bool fullDuplex = new Phcon1(_phy[(int)PhyRegister.Phcon1]).FullDuplex;
        _phy[(int)PhyRegister.Phstat2] = (ushort)((_linkUp ? Phstat.LinkStatus : 0) | (fullDuplex ? Phstat.DuplexStatus : 0));
    }

    private byte ReadMiiStatus()
    {
        byte status = 0;
        if (_miiBusyRemaining > 0)
        {
            status = Mii.Busy;
            _miiBusyRemaining--;
        }
        Set(ControlRegister.Mistat, status);
        return status;
    }

    private void StartPhyRead()
    {
        int address = Get(ControlRegister.Miregadr) & 0x1F;
        ushort value = _phy[address];
        switch ((PhyRegister)address)
        {
            case PhyRegister.Phir:
                // §12.1.5: reading PHIR clears PLNKIF and with it EIR.LINKIF.
                _phy[address] = 0;
                Set(ControlRegister.Eir, (byte)(Get(ControlRegister.Eir) & ~Eir.LinkIf));
                UpdateInterrupt();
                break;
            case PhyRegister.Phstat1:
                // LLSTAT latches low: it reads 0 once after a loss, then follows the link again.
                if (_linkUp)
                    _phy[address] |= Phstat.LatchedLinkStatus;
                break;
        }
        Set(ControlRegister.Mirdl, (byte)value);
        Set(ControlRegister.Mirdh, (byte)(value >> 8));
        _miiBusyRemaining = MiiBusyPolls;
    }

    private void WritePhy(int address, ushort value)
    {
        _miiBusyRemaining = MiiBusyPolls;
        switch ((PhyRegister)address)
        {
            case PhyRegister.Phcon1 when (value & Phcon1.PRst) != 0:
                ResetPhy();
                return;
            case PhyRegister.Phstat1:
            case PhyRegister.Phstat2:
            case PhyRegister.Phid1:
            case PhyRegister.Phid2:
            case PhyRegister.Phir:
                return; // read-only
        }
        _phy[address] = value;
        UpdatePhyStatus();
    }
}
