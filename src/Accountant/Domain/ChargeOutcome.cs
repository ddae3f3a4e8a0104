using Accounting.Accountant.Contracts;

namespace Accounting.Accountant.Domain;

/// <summary>
/// How a charge ended: granted (possibly replayed from a retry), or refused after the refusal's own state change was
/// committed (a quota that no longer admits the plan's step exhausts the task).
/// </summary>
public sealed record ChargeOutcome(ChargeResponse? Response, bool Replayed, ProblemException? Refusal);
