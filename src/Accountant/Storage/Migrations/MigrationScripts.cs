using System.Reflection;

namespace Accounting.Accountant.Storage.Migrations;

/// <summary>
/// The numbered schema scripts of a dialect, embedded in the assembly (<c>NNN_name.sql</c>); version N is reached by
/// applying every script numbered ≤ N in order.
/// </summary>
public static class MigrationScripts
{
    /// <summary>(version, SQL) of a dialect's scripts, ascending.</summary>
    public static IReadOnlyList<(int Version, string Sql)> For(string dialect)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"{typeof(MigrationScripts).Namespace}.{dialect}.";
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Version: int.Parse(name.AsSpan(prefix.Length, 3)), Name: name))
            .OrderBy(s => s.Version)
            .Select(s => (s.Version, Read(assembly, s.Name)))];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!; // listed by the assembly itself just above
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
