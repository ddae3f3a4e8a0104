using System.Buffers;

namespace Accounting.Accountant.Domain;

/// <summary>
/// Bytes written into an array rented from the shared pool (a larger one is rented when it fills), which goes back to
/// the pool when this is disposed: what was written must not be used after that.
/// </summary>
internal sealed class PooledBytes(int capacity) : IBufferWriter<byte>, IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));
    private int _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> Written => _array.AsMemory(0, _written);

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _array.Length - _written);
        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        var at = Room(sizeHint); // first: it may replace the array
        return _array.AsMemory(at);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        var at = Room(sizeHint);
        return _array.AsSpan(at);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }

    // Where the free room starts, once there is room for sizeHint bytes (at least one).
    private int Room(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_array.Length == 0, this);
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > _array.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 2 * _array.Length));
            _array.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }
        return _written;
    }
}
