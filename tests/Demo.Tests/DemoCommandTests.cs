using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Accounting.Demo.Tests;

/// <summary>
/// The README's demo command as a newcomer runs it: the demo's own program in a fresh directory, which hosts the
/// service on its SQLite file there, trains both models and keeps serving.
/// </summary>
public sealed partial class DemoCommandTests
{
    [Fact]
    public async Task The_demo_command_hosts_the_service_on_sqlite_trains_both_models_and_keeps_serving()
    {
        var directory = Directory.CreateTempSubdirectory("accounting-demo-");
        var output = new StringBuilder();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var demo = new Process
        {
            StartInfo = new ProcessStartInfo("dotnet", [DemoAssembly(), "--urls", "http://127.0.0.1:0"])
            {
                WorkingDirectory = directory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        demo.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }
            if (line.Data?.StartsWith("The service keeps running", StringComparison.Ordinal) == true)
            {
                finished.TrySetResult();
            }
        };
        demo.ErrorDataReceived += (_, _) => { };
        try
        {
            demo.Start();
            demo.BeginOutputReadLine();
            demo.BeginErrorReadLine();
            await finished.Task.WaitAsync(TimeSpan.FromMinutes(10));
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            Assert.True(File.Exists(Path.Combine(directory.FullName, "data", "accounting.db")), "the SQLite file under the working directory");
            Assert.Contains("DP-SGD [##############################]", text, StringComparison.Ordinal); // the progress bar, full
            Assert.Contains("DP-SGD stopped: the service refused", text, StringComparison.Ordinal);
            Assert.Contains("DP-FedAvg stopped: the service refused", text, StringComparison.Ordinal);
            foreach (var run in new[] { "DP-SGD", "DP-FedAvg" })
            {
                var row = SummaryRow().Matches(text).Single(m => m.Groups["run"].Value == run);
                Assert.InRange(double.Parse(row.Groups["epsilon"].Value, CultureInfo.InvariantCulture), 7.99, 8.0);
                var (trained, baseline) = (Percent(row.Groups["private"].Value), Percent(row.Groups["baseline"].Value));
                Assert.InRange(trained, 80, 100);
                Assert.InRange(baseline - trained, double.NegativeInfinity, 3); // DemoTests.MaxGap, in points
            }

            // Still serving on the address it printed.
            var address = AddressLine().Match(text).Groups["address"].Value;
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            Assert.True((await http.GetAsync("healthz")).IsSuccessStatusCode);
        }
        finally
        {
            if (!demo.HasExited)
            {
                demo.Kill();
                await demo.WaitForExitAsync();
            }
            directory.Delete(recursive: true);
        }
    }

    private static double Percent(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    // The demo's build output, beside this assembly's (same configuration and framework).
    private static string DemoAssembly()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory); // …/tests/Demo.Tests/bin/<Configuration>/<tfm>/
        var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(root, "samples", "Demo", "bin", here.Parent.Name, here.Name, "Accounting.Demo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first", path);
    }

    [GeneratedRegex(@"^(?<run>DP-SGD|DP-FedAvg)\s+[\d.]+\s+\d+\s+(?<epsilon>[\d.]+)\s+(?<private>[\d.]+) %\s+(?<baseline>[\d.]+) %", RegexOptions.Multiline)]
    private static partial Regex SummaryRow();

    [GeneratedRegex(@"^Accountant at (?<address>\S+) ", RegexOptions.Multiline)]
    private static partial Regex AddressLine();
}
