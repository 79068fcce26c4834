using Seqs.Device.Nics;

namespace Seqs.Device;

public sealed partial class DeviceOptions
{
    private const string ServicesOption = "--services";

    /// <summary>The test services to run (<c>--services echo,discard,chargen,iperf</c>); none by default or with <c>--services none</c>.</summary>
    public ClassicServices Services { get; private set; }

    private bool TryReadServices(GivenSwitches values, out string error)
    {
        error = "";
        if (!values.TryGetValue(ServicesOption, out string? text))
            return true;
        if (text.Trim() == "none")
            return true;
        foreach (string name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            ClassicServices service = name switch
            {
                "echo" => ClassicServices.Echo,
                "discard" => ClassicServices.Discard,
                "chargen" => ClassicServices.Chargen,
                "iperf" => ClassicServices.Iperf,
                _ => ClassicServices.None,
            };
            if (service == ClassicServices.None)
                return Fail($"--services '{name}' is not a service; name some of echo, discard, chargen and iperf, such as --services echo,discard, or none.", out error);
            Services |= service;
        }
        return true;
    }
}
