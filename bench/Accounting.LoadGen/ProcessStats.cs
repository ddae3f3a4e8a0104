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
    public static TimeSpan CpuTime(int pid) => Ticks(File.ReadAllText($"/proc/{pid}/stat")).Time;

    /// <summary>
    /// CPU time used so far by the process's threads of the given name (user + system; Linux keeps a thread's first 15
    /// characters); zero when it has none.
    /// </summary>
    public static TimeSpan ThreadCpuTime(int pid, string name)
    {
        var total = TimeSpan.Zero;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var (comm, time) = Ticks(File.ReadAllText(Path.Combine(task, "stat")));
                total += comm == name ? time : TimeSpan.Zero;
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }
        return total;
    }

    // The command name (in parentheses, may hold spaces) and utime + stime, fields 14 and 15 of a stat line.
    private static (string Comm, TimeSpan Time) Ticks(string stat)
    {
        var close = stat.LastIndexOf(')');
        var fields = stat[(close + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (stat[(stat.IndexOf('(') + 1)..close], TimeSpan.FromSeconds(ticks / TicksPerSecond));
    }

    private static long KiB(string[] status, string field) =>
        long.Parse(status.First(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
