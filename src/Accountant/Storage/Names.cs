using System.Text.Json;

namespace Accounting.Accountant.Storage;

/// <summary>Enum values as stored: the same camelCase names as in the API's JSON, so the database reads like it.</summary>
public static class Names
{
    /// <summary>The JSON name of an enum value.</summary>
    public static string Of<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value).Trim('"');

    /// <summary>The enum value with this JSON name.</summary>
    public static T Parse<T>(string name) where T : struct, Enum => JsonSerializer.Deserialize<T>($"\"{name}\"");
}
