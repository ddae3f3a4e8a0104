using System.Net.Http.Headers;
using Accounting.Accountant.Verification;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>A ledger export streamed to a temporary file (never held in memory), deleted on dispose.</summary>
public sealed class ExportFile : IDisposable
{
    private ExportFile(string path) => Path = path;

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The file's lines.</summary>
    public string[] Lines() => File.ReadAllLines(Path);

    /// <summary>
    /// Streams <c>v1/audit/ledger{query}</c> to a file; fails the test on a non-success answer. <paramref name="progress"/>
    /// hears the bytes received so far after each read.
    /// </summary>
    public static async Task<ExportFile> DownloadAsync(HttpClient client, string query = "", string? accept = null, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/audit/ledger{query}");
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var file = new ExportFile(System.IO.Path.GetTempFileName());
        await using var output = File.Create(file.Path);
        await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        var buffer = new byte[81920];
        long received = 0;
        for (int read; (read = await body.ReadAsync(buffer).ConfigureAwait(false)) > 0;)
        {
            await output.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            progress?.Invoke(received += read);
        }
        return file;
    }

    /// <summary>Exports the whole ledger and verifies it in-process; fails the test unless it passes.</summary>
    public static async Task<LedgerTotals> VerifiedTotalsAsync(HttpClient client)
    {
        using var export = await DownloadAsync(client).ConfigureAwait(false);
        var result = LedgerVerifier.Verify(export.Path);
        Assert.True(result.Passed, $"{result.Chain.Break} {result.ReplayProblem}");
        return result.Totals!;
    }

    /// <summary>A copy of this export with its lines changed, for tampering.</summary>
    public ExportFile With(Func<List<string>, IEnumerable<string>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var copy = new ExportFile(System.IO.Path.GetTempFileName());
        File.WriteAllLines(copy.Path, change([.. Lines()]));
        return copy;
    }

    /// <inheritdoc />
    public void Dispose() => File.Delete(Path);
}
