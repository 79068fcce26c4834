using Seqs.Device.HostNics;
using Seqs.Drivers.Enc28j60;
using Seqs.Hal;
using Seqs.Simulation;

namespace Seqs.Device.Web;

/// <summary>The NIC under the stack (below any capture), described for people, with its counters read the way its driver keeps them.</summary>
internal sealed class DeviceNic(IEthernetNic nic, string description)
{
    public IEthernetNic Nic => nic;

    public string Description => description;

    public void Read(NicStatus status)
    {
        status.Description = description;
        switch (nic)
        {
            case Enc28j60 chip:
                Enc28j60Counters c = chip.Counters;
                status.FramesReceived = c.FramesReceived;
                status.FramesTransmitted = c.FramesTransmitted;
                status.ReceiveErrors = c.ReceiveErrors + c.FramesTooLong + c.ReceiveOverflows;
                status.TransmitErrors = c.TransmitErrors + c.TransmitRejections + c.FramesDroppedLinkDown;
                break;
            case TapNic tap:
                status.FramesReceived = tap.ReceivedFrames;
                status.FramesTransmitted = tap.TransmittedFrames;
                status.TransmitErrors = tap.DroppedFrames;
                break;
            case SerialNic serial:
                status.FramesReceived = serial.ReceivedFrames;
                status.FramesTransmitted = serial.TransmittedFrames;
                status.ReceiveErrors = serial.CrcErrors + serial.OversizeFrames + serial.ReceiveDrops;
                status.TransmitErrors = serial.TransmitDrops;
                break;
            case VirtualNic cable:
                status.FramesReceived = cable.FramesReceived;
                status.FramesTransmitted = cable.FramesTransmitted;
                status.ReceiveErrors = cable.FramesDropped;
                break;
        }
    }
}
