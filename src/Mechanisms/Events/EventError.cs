namespace Accounting.Mechanisms.Events;

/// <summary>One reason an event cannot be accounted, naming the offending field by its JSON path (e.g. <c>event.events[1].noiseMultiplier</c>).</summary>
public sealed record EventError(string Field, string Message);

/// <summary>Thrown when an event is invalid or unsupported; carries every error found.</summary>
public sealed class InvalidEventException(IReadOnlyList<EventError> errors)
    : ArgumentException(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    /// <summary>Every error found, each naming its field.</summary>
    public IReadOnlyList<EventError> Errors { get; } = errors;
}
