using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Accounting.Accountant.Auth;

/// <summary>
/// The form of an API key, <c>ak_&lt;16 hex&gt;.&lt;43 base64url&gt;</c>: a public id (the lookup handle, also the ledger's
/// actor) and a 256-bit secret, both from the OS CSPRNG. Only the SHA-256 of the whole key is stored.
/// </summary>
public static partial class ApiKeyToken
{
    private const int IdBytes = 8;
    private const int SecretBytes = 32;

    /// <summary>A new key and its id.</summary>
    public static (string Id, string Key) New()
    {
        var id = $"ak_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes))}";
        return (id, $"{id}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes))}");
    }

    /// <summary>The id of a well-formed key, or null.</summary>
    public static string? IdOf(string key)
    {
        var match = Form().Match(key);
        return match.Success ? match.Groups["id"].Value : null;
    }

    /// <summary>
    /// What is stored of a key. A fast unsalted hash suffices for a 256-bit random secret: NIST SP 800-63B §5.1.2.2
    /// asks for salting and a slow KDF only below 112 bits of entropy, since guessing 2^256 inputs is out of reach.
    /// </summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    [GeneratedRegex(@"^(?<id>ak_[0-9a-f]{16})\.[A-Za-z0-9_-]{43}\z")] // \z: "$" would accept a trailing newline
    private static partial Regex Form();
}
