using Recommender.Training.Algorithms.Factorization;

namespace Recommender.Training.Algorithms.Svd;

/// <summary>
/// A fitted truncated SVD. It has no fold-in of its own (the original service had none): a
/// history it was not trained on is scored by its products' summed cosine similarities.
/// </summary>
public sealed class SvdModel(LatentFactors factors, SvdOptions options) : FactorModel(factors)
{
    private readonly SvdOptions _options = (SvdOptions)OptionBinding.Clone(options);

    public override string Algorithm => SvdAlgorithm.AlgorithmName;
    public override object Options => _options;

    public override BuyerProfile FoldIn(BuyerHistory history) => SimilarToItems(history);

    /// <summary>A trained buyer's row is a mix of their history's directions; their cosine to the product stands for each part.</summary>
    protected override IReadOnlyList<Contribution> ExplainScore(BuyerHistory history, int product, int top) =>
        ExplainByCosine(history, product, top);
}
