
namespace Accounting.Accountant.Contracts;

/// <summary>A new cohort, optionally with its first batch of members.</summary>
/// <param name="Id">Cohort id: 1–128 characters, no control characters, no '%'; '/' allowed.</param>
/// <param name="UnitKind">What one member is.</param>
/// <param name="Members">First members (units are registered as needed).</param>
public sealed record CreateCohortRequest(string Id, UnitKind UnitKind, IReadOnlyList<string>? Members = null);

/// <summary>A batch of members to add; units are registered as needed, existing members are skipped.</summary>
/// <param name="Units">Unit ids, up to 1,000,000 per request.</param>
public sealed record AddMembersRequest(IReadOnlyList<string> Units);

/// <summary>A cohort.</summary>
/// <param name="Id">Its id.</param>
/// <param name="UnitKind">What one member is.</param>
/// <param name="Members">How many members it has.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record CohortResponse(string Id, UnitKind UnitKind, long Members, DateTimeOffset CreatedAt);

/// <summary>How adding a batch went.</summary>
/// <param name="Added">Units that joined.</param>
/// <param name="AlreadyMembers">Units that were members already.</param>
/// <param name="Members">Members now.</param>
public sealed record AddMembersResponse(int Added, int AlreadyMembers, long Members);
