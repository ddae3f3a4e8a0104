namespace Accounting.TrainerAdapters.MetaLearning;

/// <summary>Which first-order meta-gradient a task contributes after adapting.</summary>
public enum MetaUpdate
{
    /// <summary>Reptile (Nichol, Achiam, Schulman 2018, "On first-order meta-learning algorithms", Algorithm 1): φ − θ.</summary>
    Reptile,

    /// <summary>First-order MAML (Finn, Abbeel, Levine 2017, §5.2): −∇L_query(φ), the query-set gradient at the adapted φ.</summary>
    FirstOrderMaml,
}
