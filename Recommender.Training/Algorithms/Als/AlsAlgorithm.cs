using Recommender.Training.Algorithms.Factorization;
using Recommender.Training.Artifacts;

namespace Recommender.Training.Algorithms.Als;

/// <summary>Implicit-feedback ALS (<see cref="ImplicitAls"/>) on kind × recency weights.</summary>
public sealed class AlsAlgorithm : RecommenderAlgorithm<AlsOptions>
{
    public const string AlgorithmName = "als";

    public override string Name => AlgorithmName;
    public override string? Section => "Als";

    protected override IFittedModel Fit(BuyerHistories train, AlsOptions options, CancellationToken cancellationToken) =>
        new AlsModel(ImplicitAls.Fit(train.ToMatrix(options.HalfLifeDays), options, cancellationToken), options);

    protected override IFittedModel Read(ModelEntryReader entries, int formatVersion, AlsOptions options) =>
        new AlsModel(FactorModel.ReadFactors(entries, options.Factors), options);
}
