using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Recommender.Training.Artifacts;
using Recommender.Training.Evaluation;

namespace Recommender.Training.Algorithms.Ranking;

/// <summary>
/// The learned ranker: item-to-item, "after the last item", popularity, trending and the buyer's
/// recent categories propose candidates; a LightGBM LambdaRank model trained with ML.NET orders
/// them on their sources' scores (ALS's among them) and what the shop says of them
/// (<see cref="RankingFeatures"/>, <see cref="RankerTrainer"/>).
/// A ranker that does not beat its best source on buyers it did not train on gives way to that
/// source (<see cref="IFittedModel.Verdict"/>).
/// </summary>
public sealed class RankerAlgorithm : RecommenderAlgorithm<RankerOptions>
{
    public const string AlgorithmName = "ranked";

    /// <summary>The largest ML.NET model read back: far beyond thousands of trees of 1,024 leaves.</summary>
    private const long MaxRankerBytes = 256L << 20;

    public override string Name => AlgorithmName;
    public override string? Section => "Ranker";

    /// <summary>2: the product content under the sources and 24 features (1 had 16, and no content).</summary>
    public override int FormatVersion => 2;

    protected override IFittedModel Fit(BuyerHistories train, RankerOptions options, CancellationToken cancellationToken)
    {
        var (model, bytes, report, notTrained) = RankerTrainer.Train(train, options, cancellationToken);
        var sources = RankingSources.Fit(train, options, cancellationToken);
        if (model is null || report is null)
            return RankedModel.Untrained(sources, options, new FitVerdict($"no learned ranker: {notTrained}; {sources.Item.Algorithm} serves instead", sources.Item));
        var trees = new CompiledTrees(model.Model.TrainedTreeEnsemble, RankingFeatures.Count);
        var ranker = report.CheckNdcg10["ranker"];
        var best = report.CheckNdcg10[report.BestSource];
        FitVerdict? verdict = null;
        if (ranker <= best * (1 + ModelSelection.MinimumRelativeGain))
        {
            var instead = report.BestSource == "als" && sources.Als is { } als ? als : sources.Item;
            verdict = new FitVerdict(
                $"the learned ranker scored NDCG@10 {ranker:F4} on {report.CheckGroups} buyers it did not train on, not enough above " +
                $"its best source ({report.BestSource}, {best:F4}); {instead.Algorithm} serves instead", instead);
        }
        return new RankedModel(sources, trees, bytes, options, report, verdict);
    }

    /// <summary>The sources refitted on newer histories under <paramref name="previous"/>'s trees, when it is a ranker with the same options.</summary>
    public override IFittedModel? Refit(IFittedModel previous, BuyerHistories train, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (previous is not RankedModel ranked) return null;
        var options = (RankerOptions)ranked.Options;
        return ranked.WithSources(RankingSources.Fit(train, options, cancellationToken));
    }

    protected override IFittedModel Read(ModelEntryReader entries, int formatVersion, RankerOptions options)
    {
        if (formatVersion < 2)
            throw new InvalidDataException($"The ranked entries are format {formatVersion}, whose ranker takes other features; this version reads format 2: train anew.");
        var report = entries.ReadJson<RankerReport>(RankedModel.ReportEntry);
        var bytes = entries.ReadBytes(RankedModel.RankerEntry, MaxRankerBytes);
        var sources = RankingSources.Read(entries.Under(RankedModel.SourcesFolder), options);
        return new RankedModel(sources, Load(bytes), bytes, options, report);
    }

    /// <summary>The ML.NET model zip loaded and its trees compiled; anything but a LightGBM ranker over our features is refused.</summary>
    internal static CompiledTrees Load(byte[] bytes)
    {
        ITransformer model;
        DataViewSchema schema;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            model = new MLContext().Model.Load(stream, out schema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{RankedModel.RankerEntry} is not an ML.NET model: {e.Message}", e);
        }
        if (model is not RankingPredictionTransformer<LightGbmRankingModelParameters> ranker)
            throw new InvalidDataException($"{RankedModel.RankerEntry} holds a {model.GetType().Name}, not a LightGBM ranker.");
        if (schema.GetColumnOrNull(nameof(RankingRow.Features))?.Type is not VectorDataViewType { Size: var size } || size != RankingFeatures.Count)
            throw new InvalidDataException($"{RankedModel.RankerEntry} does not take the {RankingFeatures.Count} features this version computes.");
        return new CompiledTrees(ranker.Model.TrainedTreeEnsemble, RankingFeatures.Count);
    }
}
