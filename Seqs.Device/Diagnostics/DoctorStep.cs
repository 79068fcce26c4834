namespace Seqs.Device.Diagnostics;

/// <summary>
/// One step of <c>seqs-device doctor</c>: what was checked, whether it passed, and on failure what a person can do
/// about it ("EREVID reads 00h: no chip answers; check CS, power and MISO"). A passed step may carry a detail too
/// ("revision B7").
/// </summary>
internal readonly record struct DoctorStep(string Name, bool Passed, string Detail = "")
{
    public static DoctorStep Pass(string name, string detail = "") => new(name, true, detail);

    public static DoctorStep Fail(string name, string whatToDo) => new(name, false, whatToDo);
}
