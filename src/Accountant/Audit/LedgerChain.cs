using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Accounting.Accountant.Audit;

/// <summary>
/// The ledger's hash chain: hash = SHA-256(prevHash ‖ content), prevHash being the previous entry's hash (32 zero
/// bytes before the first). Each hash commits to the whole history before it, so an edited, removed, inserted or
/// reordered entry breaks every later link (the hash-chained log that Crosby &amp; Wallach 2009, "Efficient data
/// structures for tamper-evident logging", start from). <c>content</c> frames the fields exactly as stored, each with its
/// length, so that distinct entries never frame to the same bytes:
/// <c>u64be(seq) ‖ str(at) ‖ str(actor) ‖ str(kind) ‖ opt(task) ‖ str(payload)</c>, where
/// <c>str(s) = u32be(|utf8(s)|) ‖ utf8(s)</c>, <c>opt(null) = 0x00</c> and <c>opt(s) = 0x01 ‖ str(s)</c>.
/// </summary>
public static class LedgerChain
{
    /// <summary>Bytes in a hash.</summary>
    public const int HashSize = SHA256.HashSizeInBytes;

    private static readonly byte[] Zero = new byte[HashSize];

    /// <summary>The prevHash of the first entry.</summary>
    public static ReadOnlySpan<byte> Genesis => Zero;

    /// <summary>The hash of an entry whose payload is given as stored text.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> prevHash, long seq, string at, string actor, string kind, string? task, string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(payload.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(payload, bytes);
            return Hash(prevHash, seq, at, actor, kind, task, bytes.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>The hash of an entry whose payload is given as its UTF-8 bytes.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> prevHash, long seq, string at, string actor, string kind, string? task, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(at);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(kind);
        if (prevHash.Length != HashSize)
        {
            throw new ArgumentException($"a hash has {HashSize} bytes", nameof(prevHash));
        }
        var size = HashSize + sizeof(long) + Framed(at) + Framed(actor) + Framed(kind) + 1 + (task is null ? 0 : Framed(task)) + sizeof(uint) + payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var content = buffer.AsSpan(0, size);
            prevHash.CopyTo(content);
            BinaryPrimitives.WriteInt64BigEndian(content[HashSize..], seq);
            var rest = content[(HashSize + sizeof(long))..];
            rest = Write(rest, at);
            rest = Write(rest, actor);
            rest = Write(rest, kind);
            rest[0] = task is null ? (byte)0 : (byte)1;
            rest = task is null ? rest[1..] : Write(rest[1..], task);
            BinaryPrimitives.WriteUInt32BigEndian(rest, checked((uint)payload.Length));
            payload.CopyTo(rest[sizeof(uint)..]);
            return SHA256.HashData(content);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A hash as written in exports: lowercase hex.</summary>
    public static string Hex(ReadOnlySpan<byte> hash) => Convert.ToHexStringLower(hash);

    private static int Framed(string text) => sizeof(uint) + Encoding.UTF8.GetByteCount(text);

    // Writes str(text) and returns the space after it.
    private static Span<byte> Write(Span<byte> destination, string text)
    {
        var length = Encoding.UTF8.GetBytes(text, destination[sizeof(uint)..]);
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)length);
        return destination[(sizeof(uint) + length)..];
    }
}
