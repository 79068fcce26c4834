using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Seqs.Tests.Interop;

/// <summary>
/// Runs code on a fresh thread whose effective capabilities lack CAP_NET_ADMIN. Linux keeps capabilities per thread
/// (capabilities(7)), so a root test process can see what an unprivileged user would, without a second process.
/// </summary>
internal static partial class ThreadCapabilities
{
    private const int CapabilityVersion3 = 0x20080522; // _LINUX_CAPABILITY_VERSION_3
    private const int NetAdmin = 12; // CAP_NET_ADMIN

    public static void RunWithoutNetAdmin(Action action)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                DropEffective(NetAdmin);
                action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        // The thread ends with the capability still dropped, so no other code ever runs on it.
        thread.Start();
        thread.Join();
        failure?.Throw();
    }

    private static void DropEffective(int capability)
    {
        // struct __user_cap_header_struct { u32 version; int pid; } and two __user_cap_data_struct { u32 effective, permitted, inheritable; }.
        int[] header = [CapabilityVersion3, 0];
        int[] data = new int[6];
        if (CapGet(header, data) != 0)
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        data[capability / 32 * 3] &= ~(1 << (capability % 32));
        if (CapSet(header, data) != 0)
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which the test project does not enable for two calls.
    [DllImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static extern int CapGet(int[] header, [Out] int[] data);

    [DllImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static extern int CapSet(int[] header, int[] data);
#pragma warning restore SYSLIB1054
}
