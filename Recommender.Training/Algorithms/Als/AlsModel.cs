using Recommender.Training.Algorithms.Factorization;

namespace Recommender.Training.Algorithms.Als;

/// <summary>
/// A fitted ALS model. A buyer the model was not trained on (or whose history changed) is folded
/// in by solving their least-squares problem exactly against the fixed product vectors, with the
/// same kind × recency weights as training; explanations split that solve over the history
/// as implicit's <c>explain</c> does.
/// </summary>
public sealed class AlsModel : FactorModel
{
    private readonly AlsOptions _options;
    private readonly Lazy<float[]> _productGram;

    public AlsModel(LatentFactors factors, AlsOptions options) : base(factors)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = (AlsOptions)OptionBinding.Clone(options);
        _productGram = new(() => ImplicitAls.Gram(ProductFactors));
    }

    public override string Algorithm => AlsAlgorithm.AlgorithmName;
    public override object Options => _options;

    /// <summary>YᵀY of the product factors, computed once per model.</summary>
    public float[] ProductGram => _productGram.Value;

    public override BuyerProfile FoldIn(BuyerHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var (products, weights) = HistoryWeights.Summed(history, _options.HalfLifeDays);
        var vector = new float[ProductFactors.Stride];
        ImplicitAls.RecalculateBuyer(ProductFactors, ProductGram, products, weights, _options, vector);
        return new FactorProfile(history, vector, cosine: false);
    }

    protected override IReadOnlyList<Contribution> ExplainScore(BuyerHistory history, int product, int top)
    {
        var (products, weights) = HistoryWeights.Summed(history, _options.HalfLifeDays);
        var byProduct = AlsExplanation.Contributions(ProductFactors, ProductGram, products, weights, _options, product);
        return Contributions.Top(byProduct, top);
    }
}
