using Recommender.Training.Artifacts;

namespace Recommender.Training.Algorithms.ItemToItem;

/// <summary>The sequence-aware item-to-item model (<see cref="ItemKnn"/>), the default of most shops.</summary>
public sealed class ItemKnnAlgorithm : RecommenderAlgorithm<ItemKnnOptions>
{
    public const string AlgorithmName = "itemknn";

    /// <summary>Format 2 stores the model's own popularity tie-breaker.</summary>
    public override int FormatVersion => 2;

    public override string Name => AlgorithmName;
    public override string? Section => "ItemKnn";

    protected override IFittedModel Fit(BuyerHistories train, ItemKnnOptions options, CancellationToken cancellationToken) =>
        ItemKnn.Fit(train, options, cancellationToken);

    protected override IFittedModel Read(ModelEntryReader entries, int formatVersion, ItemKnnOptions options) =>
        ItemKnnModel.Read(entries, formatVersion, options);
}
