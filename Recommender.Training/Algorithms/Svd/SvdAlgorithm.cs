using Recommender.Training.Algorithms.Factorization;
using Recommender.Training.Artifacts;

namespace Recommender.Training.Algorithms.Svd;

/// <summary>The original service's baseline: truncated SVD scored by cosine.</summary>
public sealed class SvdAlgorithm : RecommenderAlgorithm<SvdOptions>
{
    public const string AlgorithmName = "svd";

    public override string Name => AlgorithmName;
    public override string? Section => "Svd";

    protected override IFittedModel Fit(BuyerHistories train, SvdOptions options, CancellationToken cancellationToken) =>
        new SvdModel(TruncatedSvd.Fit(train.ToMatrix(), options.Components, options.Seed, cancellationToken), options);

    protected override IFittedModel Read(ModelEntryReader entries, int formatVersion, SvdOptions options) =>
        new SvdModel(FactorModel.ReadFactors(entries, options.Components), options);
}
