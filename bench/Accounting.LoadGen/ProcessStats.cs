using System.Globalization;

namespace Accounting.LoadGen;

/// <summary>A process's resident memory and CPU time, from /proc (Linux).</summary>
internal static class ProcessStats
{
    // USER_HZ: the unit of utime and stime in /proc/<pid>/stat on Linux.
    private const double TicksPerSecond = 100;

    /// <summary>Resident memory now (VmRSS) and at its peak (VmHWM), in MiB.</summary>
    public static (long RssMiB, long PeakMiB) Memory(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return (KiB(status, "VmRSS:") / 1024, KiB(status, "VmHWM:") / 1024);
    }

    /// <summary>CPU time used so far (user + system), whatever else the machine runs.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static long KiB(string[] status, string field) =>
        long.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
