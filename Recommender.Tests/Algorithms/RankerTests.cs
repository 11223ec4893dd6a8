using System.IO.Compression;
using Microsoft.ML;
using Recommender.Training;
using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.Ranking;
using Recommender.Training.Artifacts;
using Recommender.Training.Evaluation;
using Recommender.Training.Matrix;

namespace Recommender.Tests.Algorithms;

/// <summary>
/// The learned ranker: its compiled trees score exactly as ML.NET does, its ML.NET model is a
/// zip entry anyone can load, refits keep its trees, and a ranker with nothing to learn gives way.
/// </summary>
public sealed class RankerTests
{
    private const int Products = 60;

    /// <summary>
    /// Buyers walk the catalogue in steps: from a random start each buys the next product, one
    /// a day, with a detour now and then. What comes next follows from the last item, which the
    /// item source's "after the last item" sees and the ranker learns to trust.
    /// </summary>
    private static BuyerHistories Walks(int buyers, int seed)
    {
        var random = new Random(seed);
        return TestHistories.Of(Products, [.. Enumerable.Range(0, buyers).Select(_ =>
        {
            var at = random.Next(Products);
            var length = 4 + random.Next(6);
            return Enumerable.Range(0, length).Select(_ => at = random.Next(5) == 0 ? random.Next(Products) : (at + 1) % Products).ToArray();
        })]);
    }

    private static readonly (string, object)[] Small = [("alsfactors", 8), ("trees", 20), ("leaves", 7), ("minleaf", 5), ("candidates", 10), ("threads", 1)];

    private static RankedModel FitRanker(BuyerHistories histories)
    {
        var fitted = Candidate.Of(RankerAlgorithm.AlgorithmName, Small).Fit(histories, CancellationToken.None);
        return Assert.IsType<RankedModel>(fitted);
    }

    [Fact]
    public void Compiled_trees_score_every_candidate_as_MLNET_PredictionEngine_does()
    {
        var histories = Walks(1500, seed: 1);
        var model = FitRanker(histories);
        Assert.NotNull(model.Trees);

        var ml = new MLContext();
        using var stream = new MemoryStream(model.RankerBytes.ToArray());
        var engine = ml.Model.CreatePredictionEngine<RankingRow, RankingScore>(ml.Model.Load(stream, out _), inputSchemaDefinition: RankingRow.Schema());
        var candidates = new int[RankingFeatures.MaxCandidates(10)];
        var features = new float[candidates.Length * RankingFeatures.Count];
        var compared = 0;
        for (var buyer = 0; buyer < 200; buyer++)
        {
            var profile = (RankedProfile)model.ProfileOf(buyer, histories);
            var count = RankingFeatures.Compute(model.Sources, profile, 10, candidates, features);
            for (var c = 0; c < count; c++)
            {
                var row = features.AsSpan(c * RankingFeatures.Count, RankingFeatures.Count).ToArray();
                var expected = engine.Predict(new RankingRow { GroupId = 1, Features = row }).Score;
                Assert.Equal(expected, model.Trees!.Score(row), 1e-5);
                compared++;
            }
        }
        Assert.True(compared > 1000, $"only {compared} candidates compared");
    }

    [Fact]
    public void The_model_zip_carries_the_MLNET_model_whole_and_reads_back_to_the_same_scores()
    {
        var histories = Walks(1500, seed: 2);
        var fitted = FitRanker(histories);
        var model = Model(fitted, histories);
        var zip = new MemoryStream();
        ModelArtifact.Write(model, zip);

        // The entry opens on its own with MLContext.Model.Load, as the README shows.
        using (var archive = new ZipArchive(new MemoryStream(zip.ToArray()), ZipArchiveMode.Read))
        {
            using var entry = new MemoryStream();
            archive.GetEntry(RankedModel.RankerEntry)!.Open().CopyTo(entry);
            entry.Position = 0;
            var loaded = new MLContext().Model.Load(entry, out var schema);
            Assert.NotNull(loaded);
            Assert.NotNull(schema.GetColumnOrNull(nameof(RankingRow.Features)));
        }
        var manifest = ModelArtifact.ReadManifest(new MemoryStream(zip.ToArray()));
        Assert.Equal(RankerAlgorithm.AlgorithmName, manifest.Algorithm);
        Assert.Equal(RankingFeatures.Count, manifest.Report!.Value.GetProperty("features").GetArrayLength());

        var read = ModelArtifact.Read(new MemoryStream(zip.ToArray()));
        for (var buyer = 0; buyer < 50; buyer++)
        {
            var before = new float[Products];
            var after = new float[Products];
            fitted.Score(fitted.ProfileOf(buyer, histories), before);
            read.Fitted.Score(read.Fitted.ProfileOf(buyer, read.Histories), after);
            Assert.Equal(before, after);
        }
        Assert.Equal("ranked", read.Fitted.PersonalizedSource);
    }

    [Fact]
    public void A_refit_keeps_the_trees_and_refits_the_sources_on_the_newer_histories()
    {
        var first = FitRanker(Walks(1500, seed: 3));
        var newer = Walks(1600, seed: 4);

        var refit = Assert.IsType<RankedModel>(new RankerAlgorithm().Refit(first, newer, CancellationToken.None));

        Assert.Same(first.Trees, refit.Trees);
        Assert.Same(first.RankerReport, refit.RankerReport);
        Assert.NotSame(first.Sources, refit.Sources);
        Assert.Null(new RankerAlgorithm().Refit(Candidate.Of("itemknn").Fit(newer, CancellationToken.None), newer, CancellationToken.None));
    }

    [Fact]
    public void A_ranker_with_too_little_to_learn_from_gives_way_to_its_item_source_and_the_manifest_says_why()
    {
        var histories = Walks(30, seed: 5);
        var fitted = Candidate.Of(RankerAlgorithm.AlgorithmName, Small).Fit(histories, CancellationToken.None);

        Assert.NotNull(fitted.Verdict);
        Assert.Equal("itemknn", fitted.Verdict.Instead.Algorithm);
        Assert.Contains("no learned ranker", fitted.Verdict.Reason, StringComparison.Ordinal);

        var log = new Training.Data.InteractionLog();
        for (var b = 0; b < histories.Buyers; b++)
            for (var n = histories.RowStart[b]; n < histories.RowStart[b + 1]; n++)
                log.Add(new(b.ToString(System.Globalization.CultureInfo.InvariantCulture), histories.ItemIndices[n].ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Training.Data.InteractionKind.Order, new DateTime(histories.Ticks[n], DateTimeKind.Utc)));
        var settings = new TrainingSettings { Algorithm = RankerAlgorithm.AlgorithmName, HoldoutEvaluation = false };
        var trained = ModelTrainer.Train(log, settings, Candidate.Of(RankerAlgorithm.AlgorithmName, Small), 1, CancellationToken.None);
        Assert.Equal("itemknn", trained.Manifest.Algorithm);
        Assert.Contains("no learned ranker", trained.Manifest.FallbackReason, StringComparison.Ordinal);
    }

    private static RecommenderModel Model(RankedModel fitted, BuyerHistories histories)
    {
        var manifest = new ModelManifest
        {
            Version = 1,
            Algorithm = fitted.Algorithm,
            DataFingerprint = "ranker",
            SettingsFingerprint = "ranker",
            Buyers = histories.Buyers,
            Products = Products,
            Interactions = histories.Count,
            TrainedAt = TestHistories.Start,
        }.Describing(fitted);
        return new RecommenderModel(manifest, new IdMap([.. Enumerable.Range(0, histories.Buyers).Select(b => $"b{b}")]),
            new IdMap([.. Enumerable.Range(0, Products).Select(p => $"p{p}")]), histories, fitted, new float[Products], new float[Products]);
    }
}
