namespace Seqs.Drivers.Enc28j60.Register.Control;

/// <summary>
/// The control registers by bank and address (DS39662E §3.1, Table 3-1): the value is <c>bank &lt;&lt; 5 | address</c>.
/// Addresses 1Bh-1Fh (EIE, EIR, ESTAT, ECON2, ECON1) are the same registers in every bank and carry bank 0 here.
/// Pairs are named by their low byte; the high byte is at the next address.
/// </summary>
internal enum ControlRegister : byte
{
    // Bank 0
    Erdpt = 0x00,
    Ewrpt = 0x02,
    Etxst = 0x04,
    Etxnd = 0x06,
    Erxst = 0x08,
    Erxnd = 0x0A,
    Erxrdpt = 0x0C,
    Erxwrpt = 0x0E,

    // Common to all banks
    Eie = 0x1B,
    Eir = 0x1C,
    Estat = 0x1D,
    Econ2 = 0x1E,
    Econ1 = 0x1F,

    // Bank 1
    Erxfcon = 0x20 | 0x18,
    Epktcnt = 0x20 | 0x19,

    // Bank 2: MAC and MII registers
    Macon1 = 0x40 | 0x00,
    Macon3 = 0x40 | 0x02,
    Macon4 = 0x40 | 0x03,
    Mabbipg = 0x40 | 0x04,
    Maipgl = 0x40 | 0x06,
    Maipgh = 0x40 | 0x07,
    Maclcon1 = 0x40 | 0x08,
    Maclcon2 = 0x40 | 0x09,
    Mamxfl = 0x40 | 0x0A,
    Micmd = 0x40 | 0x12,
    Miregadr = 0x40 | 0x14,
    Miwrl = 0x40 | 0x16,
    Miwrh = 0x40 | 0x17,
    Mirdl = 0x40 | 0x18,
    Mirdh = 0x40 | 0x19,

    // Bank 3. MAADR holds the address byte-swapped in pairs: Table 3-2 lists MAADR5, MAADR6, MAADR3, MAADR4,
    // MAADR1, MAADR2 at 00h-05h, where MAADR1 is the first octet on the wire (OUI byte 1).
    Maadr5 = 0x60 | 0x00,
    Maadr6 = 0x60 | 0x01,
    Maadr3 = 0x60 | 0x02,
    Maadr4 = 0x60 | 0x03,
    Maadr1 = 0x60 | 0x04,
    Maadr2 = 0x60 | 0x05,
    Mistat = 0x60 | 0x0A,
    Erevid = 0x60 | 0x12,
}
