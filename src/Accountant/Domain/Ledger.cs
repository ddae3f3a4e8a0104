using System.Text.Json;
using Accounting.Accountant.Storage;
using Accounting.Mechanisms.Events;

namespace Accounting.Accountant.Domain;

/// <summary>Appends ledger entries, each under the current caller's actor, with JSON payloads in the API's own format (events with their type discriminator).</summary>
public sealed class Ledger(TimeProvider clock, ICaller caller)
{
    /// <summary>The current time, as recorded in entries.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>
    /// Appends an entry; <paramref name="shared"/>, when given, is a value in the payload that the store keeps once, and
    /// <paramref name="listed"/> a list in it that the store keeps in its compact form.
    /// </summary>
    public void Append<TPayload>(IStoreSession session, string kind, string? taskId, TPayload payload, SharedJson? shared = null, SensitivityList? listed = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.AppendLedger(new LedgerEntry(StoredTime.Text(Now), caller.Actor, kind, taskId, JsonSerializer.SerializeToUtf8Bytes(payload, EventJson.Options), shared, listed));
    }
}
