using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;
using Recommender.Training.Evaluation;

namespace Recommender.Training.Algorithms.Ranking;

/// <summary>One training row of the ranker, and the shape of a row scored offline with ML.NET.</summary>
public sealed class RankingRow
{
    /// <summary>The buyer the candidate was proposed to: LambdaRank orders within a group. Key values start at 1.</summary>
    [KeyType(uint.MaxValue)]
    public uint GroupId { get; set; }

    /// <summary>1 when the candidate is in the buyer's held-out basket.</summary>
    public float Label { get; set; }

    /// <summary>The columns of <see cref="RankingFeatures.Names"/>, in order.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>The schema ML.NET reads these rows with: <see cref="Features"/> is a vector of fixed length.</summary>
    public static SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(RankingRow));
        schema[nameof(Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, RankingFeatures.Count);
        return schema;
    }
}

/// <summary>ML.NET's output column for a <see cref="RankingRow"/>.</summary>
public sealed class RankingScore
{
    public float Score { get; set; }
}

/// <summary>What a ranker's training found, for the manifest.</summary>
public sealed record RankerReport(
    IReadOnlyList<string> Features,
    IReadOnlyList<double> Importance,
    int TrainingGroups,
    int TrainingRows,
    int CheckGroups,
    IReadOnlyDictionary<string, double> CheckNdcg10,
    double CandidateRecall,
    string BestSource,
    double Seconds);

/// <summary>
/// Trains the LightGBM LambdaRank ranker through ML.NET. Each buyer's latest basket is held out;
/// the sources are fitted on the rest; every buyer (an even sample of at most
/// <see cref="RankerOptions.MaxTrainingBuyers"/>) gets their candidates, labelled 1 where they are
/// in that basket, one group per buyer. A share of the buyers (<see cref="RankerOptions.CheckShare"/>)
/// is kept out of the ranker's training to measure it against each source alone on the same
/// candidates: the ranker must beat the best of them by <see cref="ModelSelection.MinimumRelativeGain"/> to be served.
/// </summary>
internal static class RankerTrainer
{
    /// <summary>
    /// Fewest training groups (buyers whose basket is among their candidates) worth a ranker: fewer
    /// teach trees noise, and leave too few buyers to check it against its sources.
    /// </summary>
    public const int MinTrainingGroups = 100;

    /// <returns>The trained ranker, or a null model and the reason there is none (too little to learn from).</returns>
    public static (RankingPredictionTransformer<LightGbmRankingModelParameters>? Model, byte[] Bytes, RankerReport? Report, string? NotTrained) Train(
        BuyerHistories histories, RankerOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var split = LatestBasket.Holdout(histories);
        var sources = RankingSources.Fit(split.Train, options, cancellationToken);
        var buyers = Sample(split, options.MaxTrainingBuyers);
        var checkEvery = (int)Math.Round(1 / options.CheckShare);

        var groups = new (int Buyer, int[] Candidates, float[] Features, float[] Labels)[buyers.Length];
        Parallel.For(0, buyers.Length, new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveParallelism, CancellationToken = cancellationToken },
            () => (Candidates: new int[RankingFeatures.MaxCandidates(options)],
                   Features: new float[RankingFeatures.MaxCandidates(options) * RankingFeatures.Count]),
            (n, _, scratch) =>
            {
                var buyer = buyers[n];
                var count = RankingFeatures.Compute(sources, RankedProfile.Of(sources, buyer, split.Train), options,
                    scratch.Candidates, scratch.Features);
                var heldOut = split.HeldOutItemsOf(buyer);
                var labels = new float[count];
                for (var c = 0; c < count; c++) labels[c] = heldOut.BinarySearch(scratch.Candidates[c]) >= 0 ? 1 : 0;
                groups[n] = (buyer, scratch.Candidates[..count], scratch.Features[..(count * RankingFeatures.Count)], labels);
                return scratch;
            },
            _ => { });

        // Groups without a positive teach LambdaRank nothing; check groups keep them (they are misses for every order).
        var training = groups.Where((g, n) => n % checkEvery != 0 && g.Labels.Contains(1)).ToArray();
        var check = groups.Where((_, n) => n % checkEvery == 0).ToArray();
        var rows = training.Sum(g => g.Labels.Length);
        if (training.Length < MinTrainingGroups || rows < 4 * options.MinExamplesPerLeaf)
            return (null, [], null, $"{training.Length} buyers' latest baskets are among their candidates ({rows} rows), too few to learn a ranker from");

        var ml = new MLContext(options.Seed);
        var data = ml.Data.LoadFromEnumerable(Rows(training), RankingRow.Schema());
        var trainer = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
        {
            LabelColumnName = nameof(RankingRow.Label),
            FeatureColumnName = nameof(RankingRow.Features),
            RowGroupColumnName = nameof(RankingRow.GroupId),
            NumberOfIterations = options.Trees,
            NumberOfLeaves = options.Leaves,
            LearningRate = options.LearningRate,
            MinimumExampleCountPerLeaf = options.MinExamplesPerLeaf,
            Seed = options.Seed,
            NumberOfThreads = options.EffectiveParallelism,
            UseCategoricalSplit = false,
            Booster = new GradientBooster.Options { MaximumTreeDepth = options.MaxDepth },
            Silent = true,
        });
        cancellationToken.ThrowIfCancellationRequested();
        RankingPredictionTransformer<LightGbmRankingModelParameters> model;
        try
        {
            model = trainer.Fit(data);
        }
        catch (ArgumentNullException)
        {
            // ML.NET cannot convert a LightGBM tree without a split (a leaf alone), which is all
            // LightGBM grows when the rows give it nothing to split on.
            return (null, [], null, "LightGBM found nothing to split on in the training rows");
        }
        var bytes = Save(ml, model, data.Schema);

        var trees = new CompiledTrees(model.Model.TrainedTreeEnsemble, RankingFeatures.Count);
        var importance = default(VBuffer<float>);
        model.Model.GetFeatureWeights(ref importance);
        var (checkNdcg, recall) = Check(check, trees, split);
        var bestSource = checkNdcg.Where(m => m.Key != "ranker").MaxBy(m => m.Value).Key;
        var report = new RankerReport(RankingFeatures.Names, [.. importance.DenseValues().Select(v => Math.Round(v, 4))],
            training.Length, rows, check.Length, checkNdcg, recall, bestSource, clock.Elapsed.TotalSeconds);
        return (model, bytes, report, null);
    }

    private static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    private static IEnumerable<RankingRow> Rows((int Buyer, int[] Candidates, float[] Features, float[] Labels)[] groups)
    {
        for (var g = 0; g < groups.Length; g++)
            for (var c = 0; c < groups[g].Labels.Length; c++)
                yield return new RankingRow
                {
                    GroupId = (uint)g + 1,
                    Label = groups[g].Labels[c],
                    Features = groups[g].Features[(c * RankingFeatures.Count)..((c + 1) * RankingFeatures.Count)],
                };
    }

    /// <summary>
    /// NDCG@10 of the ranker's order and of each source's own order of the same candidates, on
    /// buyers the ranker did not train on. A source that ranked none of them (ALS left out, the
    /// categories of a shop without any) is not a source here.
    /// </summary>
    private static (Dictionary<string, double> Ndcg10, double Recall) Check(
        (int Buyer, int[] Candidates, float[] Features, float[] Labels)[] check, CompiledTrees trees, HoldoutSplit split)
    {
        bool Ranked(int column) => check.Any(g => Enumerable.Range(0, g.Candidates.Length)
            .Any(c => g.Features[c * RankingFeatures.Count + column] != RankingFeatures.NoRank));
        var orders = RankingFeatures.RankColumns
            .Where(source => Ranked(source.Column))
            .Select(source => (Name: source.Source, Key: (Func<ReadOnlySpan<float>, float>)(row => -row[source.Column])))
            .Prepend(("ranker", row => trees.Score(row)))
            .ToArray();
        var sums = new double[orders.Length];
        var items = 0;
        var found = 0;
        foreach (var (buyer, candidates, features, labels) in check)
        {
            var heldOut = split.HeldOutItemsOf(buyer);
            items += heldOut.Length;
            found += (int)labels.Sum();
            for (var o = 0; o < orders.Length; o++)
            {
                var keys = new float[candidates.Length];
                for (var c = 0; c < candidates.Length; c++) keys[c] = orders[o].Key(features.AsSpan(c * RankingFeatures.Count, RankingFeatures.Count));
                var order = Enumerable.Range(0, candidates.Length).OrderByDescending(c => keys[c]).ThenBy(c => candidates[c]).ToArray();
                for (var r = 0; r < Math.Min(order.Length, 10); r++)
                    if (labels[order[r]] > 0) sums[o] += Evaluation.RankingMetrics.Ndcg(r + 1, 10);
            }
        }
        var ndcg = new Dictionary<string, double>();
        for (var o = 0; o < orders.Length; o++) ndcg[orders[o].Name] = items == 0 ? 0 : Math.Round(sums[o] / items, 5);
        return (ndcg, items == 0 ? 0 : Math.Round((double)found / items, 4));
    }

    /// <summary>At most <paramref name="max"/> evaluated buyers, evenly spread over the buyer indices.</summary>
    private static int[] Sample(HoldoutSplit split, int max)
    {
        var evaluated = Enumerable.Range(0, split.HeldOut.Length).Where(b => split.HeldOut[b] >= 0).ToArray();
        if (evaluated.Length <= max) return evaluated;
        return [.. Enumerable.Range(0, max).Select(n => evaluated[(int)((long)n * evaluated.Length / max)])];
    }
}
