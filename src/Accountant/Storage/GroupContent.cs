using System.Security.Cryptography;
using System.Text.Json;

namespace Accounting.Accountant.Storage;

/// <summary>Groups with equal content are interchangeable: the hash of everything that decides a member's future charges.</summary>
internal static class GroupContent
{
    public static byte[] Hash(long budgetId, IReadOnlyList<string> cohorts, IReadOnlyList<string> excluded, double[] spent)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(budgetId));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(cohorts));
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(excluded));
        hash.AppendData(CurveBytes.From(spent));
        return hash.GetHashAndReset()[..16];
    }
}
