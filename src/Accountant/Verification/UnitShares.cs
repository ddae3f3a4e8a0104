namespace Accounting.Accountant.Verification;

/// <summary>
/// Units whose recorded histories are identical so far (same budget, cohorts, exclusions and spend) share one
/// state, so that a charge costs one update per share in the task's cohort rather than one per unit. A unit that an
/// entry names (excluded, charged at its own sensitivity, given its own budget, joining a cohort) moves to a share
/// derived for it. Memory grows with units and shares, never with entries.
/// </summary>
internal sealed class UnitShares
{
    private readonly Dictionary<string, Share> _ofUnit = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Share>> _inCohort = new(StringComparer.Ordinal);
    private readonly HashSet<Share> _all = [];

    // Per budget, the share of units in no cohort that have spent nothing; it never changes, so it is reused.
    private readonly Dictionary<long, Share> _fresh = [];

    /// <summary>Every unit and its share.</summary>
    public IReadOnlyDictionary<string, Share> Units => _ofUnit;

    /// <summary>Whether the unit has been registered.</summary>
    public bool Knows(string unit) => _ofUnit.ContainsKey(unit);

    /// <summary>The unit's share.</summary>
    public Share Of(string unit) =>
        _ofUnit.TryGetValue(unit, out var share) ? share : throw new InvalidDataException($"unit '{unit}' was never registered");

    /// <summary>Shares with members in the cohort.</summary>
    public IReadOnlyCollection<Share> InCohort(string cohort) => _inCohort.TryGetValue(cohort, out var shares) ? shares : [];

    /// <summary>Shares on a budget.</summary>
    public IEnumerable<Share> OnBudget(long budget) => _all.Where(s => s.Budget == budget);

    /// <summary>Registers a new unit under a budget, in no cohort, with nothing spent (a known unit stays as it is).</summary>
    public void Register(string unit, long budget, int width)
    {
        if (Knows(unit))
        {
            return;
        }
        if (!_fresh.TryGetValue(budget, out var fresh))
        {
            _fresh[budget] = fresh = Add(new Share(budget, new double[width], [], []));
        }
        Place(unit, fresh);
    }

    /// <summary>A new share like <paramref name="from"/>, with another budget and spend, one more cohort or one more exclusion.</summary>
    public Share Derive(Share from, long? budget = null, double[]? spent = null, string? cohort = null, string? excludedFrom = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        var share = new Share(budget ?? from.Budget, spent ?? [.. from.Spent], [.. from.Cohorts], [.. from.Excluded]);
        if (cohort is not null)
        {
            share.Cohorts.Add(cohort);
        }
        if (excludedFrom is not null)
        {
            share.Excluded.Add(excludedFrom);
        }
        return Add(share);
    }

    /// <summary>Moves a unit to another share; a share left empty is dropped.</summary>
    public void Move(string unit, Share to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var from = Of(unit);
        if (--from.Members == 0 && _fresh.GetValueOrDefault(from.Budget) != from)
        {
            _all.Remove(from);
            foreach (var cohort in from.Cohorts)
            {
                _inCohort[cohort].Remove(from);
            }
        }
        Place(unit, to);
    }

    private void Place(string unit, Share share)
    {
        _ofUnit[unit] = share;
        share.Members++;
    }

    private Share Add(Share share)
    {
        _all.Add(share);
        foreach (var cohort in share.Cohorts)
        {
            if (!_inCohort.TryGetValue(cohort, out var shares))
            {
                _inCohort[cohort] = shares = [];
            }
            shares.Add(share);
        }
        return share;
    }

    /// <summary>The state units share: budget, spent curve (on the budget's grid; ρ for zCDP), cohorts, and tasks they are excluded from.</summary>
    internal sealed class Share(long budget, double[] spent, HashSet<string> cohorts, HashSet<string> excluded)
    {
        public long Budget { get; } = budget;

        public double[] Spent { get; set; } = spent;

        public HashSet<string> Cohorts { get; } = cohorts;

        public HashSet<string> Excluded { get; } = excluded;

        public long Members { get; set; }

        /// <summary>Whether members pay the task's charges: in its cohort and not excluded from it.</summary>
        public bool TakesPart(ReplayTask task) => Cohorts.Contains(task.Cohort) && !Excluded.Contains(task.Id);
    }
}
