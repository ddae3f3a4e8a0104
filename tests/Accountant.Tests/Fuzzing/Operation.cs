using System.Text.Json;
using System.Text.Json.Nodes;

namespace Accounting.Accountant.Tests.Fuzzing;

/// <summary>One operation of the API as the checked-in OpenAPI document describes it.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path template, e.g. <c>/v1/tasks/{id}/charges</c>.</param>
/// <param name="Query">Names of its query parameters.</param>
/// <param name="Example">Its request body example, when it takes a body.</param>
public sealed record Operation(HttpMethod Method, string Path, IReadOnlyList<string> Query, string? Example)
{
    /// <summary>Every operation in <c>openapi/accountant.v1.json</c>: a new endpoint is fuzzed as soon as it is documented.</summary>
    public static IReadOnlyList<Operation> All { get; } = Load();

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Path}";

    private static List<Operation> Load()
    {
        var root = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(RepositoryRoot(), "openapi", "accountant.v1.json")))!;
        var operations = new List<Operation>();
        foreach (var (path, methods) in root["paths"]!.AsObject())
        {
            foreach (var (method, operation) in methods!.AsObject())
            {
                var query = operation!["parameters"]?.AsArray()
                    .Where(p => (string?)p!["in"] == "query").Select(p => (string)p!["name"]!).ToList() ?? [];
                var example = operation["requestBody"]?["content"]?["application/json"]?["example"];
                operations.Add(new Operation(
                    new HttpMethod(method.ToUpperInvariant()), path, query,
                    example?.ToJsonString(new JsonSerializerOptions { WriteIndented = false })));
            }
        }
        return operations;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Accounting.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Accounting.sln not found above the test's directory");
    }
}
