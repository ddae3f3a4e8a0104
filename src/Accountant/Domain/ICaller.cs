namespace Accounting.Accountant.Domain;

/// <summary>Who the current operation acts for: the ledger's actor, and which tasks are within its reach.</summary>
public interface ICaller
{
    /// <summary>The actor recorded in the ledger: an API key's id, or a fixed name when no key acts.</summary>
    string Actor { get; }

    /// <summary>Whether every task is within reach (admins, auditors, the service itself), or only those it created.</summary>
    bool ReachesAllTasks { get; }
}
