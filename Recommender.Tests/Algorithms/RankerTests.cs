using System.IO.Compression;
using Microsoft.ML;
using Recommender.Training;
using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.Ranking;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;
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

    private static RankedModel FitRanker(BuyerHistories histories, params (string, object)[] options)
    {
        var fitted = Candidate.Of(RankerAlgorithm.AlgorithmName, [.. Small, .. options]).Fit(histories, CancellationToken.None);
        return Assert.IsType<RankedModel>(fitted);
    }

    [Fact]
    public void Compiled_trees_score_every_candidate_as_MLNET_PredictionEngine_does()
    {
        var histories = Walks(1500, seed: 1);
        // Trees of any depth, so the walk meets leaves at many depths.
        var model = FitRanker(histories, ("depth", 0), ("leaves", 15));
        Assert.NotNull(model.Trees);

        var ml = new MLContext();
        using var stream = new MemoryStream(model.RankerBytes.ToArray());
        var engine = ml.Model.CreatePredictionEngine<RankingRow, RankingScore>(ml.Model.Load(stream, out _), inputSchemaDefinition: RankingRow.Schema());
        var options = (RankerOptions)model.Options;
        var candidates = new int[RankingFeatures.MaxCandidates(options)];
        var features = new float[candidates.Length * RankingFeatures.Count];
        var batch = new float[candidates.Length];
        var compared = 0;
        for (var buyer = 0; buyer < 200; buyer++)
        {
            var profile = (RankedProfile)model.ProfileOf(buyer, histories);
            var count = RankingFeatures.Compute(model.Sources, profile, options, candidates, features);
            model.Trees!.Score(features, count, batch);
            for (var c = 0; c < count; c++)
            {
                var row = features.AsSpan(c * RankingFeatures.Count, RankingFeatures.Count).ToArray();
                var expected = engine.Predict(new RankingRow { GroupId = 1, Features = row }).Score;
                Assert.Equal(expected, model.Trees.Score(row), 1e-5);
                Assert.Equal(expected, batch[c], 1e-5);
                compared++;
            }
        }
        Assert.True(compared > 1000, $"only {compared} candidates compared");
    }

    [Fact]
    public void The_model_zip_carries_the_MLNET_model_whole_and_reads_back_to_the_same_scores()
    {
        var histories = WithContent(Walks(1500, seed: 2), p => $$"""{"id":"p{{p}}","categoryId":"c{{p % 4}}","price":{{5 + p % 7}},"rating":{{p % 5}}}""");
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
    public void Below_the_candidates_the_products_the_history_reaches_follow_in_the_item_sources_order()
    {
        var histories = Walks(1500, seed: 8);
        var model = FitRanker(histories);
        var options = (RankerOptions)model.Options;
        var candidates = new int[RankingFeatures.MaxCandidates(options)];
        var features = new float[candidates.Length * RankingFeatures.Count];
        var extended = 0;
        for (var buyer = 0; buyer < 50; buyer++)
        {
            var profile = (RankedProfile)model.ProfileOf(buyer, histories);
            var scores = new float[Products];
            model.Score(profile, scores);
            var item = new float[Products];
            model.Sources.Item.Score(profile.Item, item);
            var count = RankingFeatures.Compute(model.Sources, profile, options, candidates, features);
            var proposed = candidates[..count].ToHashSet();
            var lowestCandidate = proposed.Min(p => scores[p]);
            var rest = Enumerable.Range(0, Products).Where(p => !proposed.Contains(p)).ToArray();
            foreach (var p in rest)
            {
                if (profile.History.Owned.Contains(p) || float.IsNegativeInfinity(item[p])) Assert.Equal(float.NegativeInfinity, scores[p]);
                else Assert.InRange(scores[p], lowestCandidate - 2, lowestCandidate - 1);
            }
            var reached = rest.Where(p => !float.IsNegativeInfinity(scores[p])).ToArray();
            extended += reached.Length;
            // Same order as the item source's (ties aside).
            foreach (var a in reached)
                foreach (var b in reached)
                    if (item[a] > item[b]) Assert.True(scores[a] >= scores[b], $"buyer {buyer}: {a} ({item[a]}) below {b} ({item[b]})");
        }
        Assert.True(extended > 100, $"only {extended} products reached beyond the candidates");
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

    [Fact]
    public void The_shops_product_columns_become_features_and_the_columns_it_lacks_are_absent()
    {
        // Categories by tens, sellers by threes, prices rising with the index; no rating, reviews or discount columns.
        var histories = WithContent(Walks(1500, seed: 6), p =>
            $$"""{"id":"p{{p}}","categoryId":"c{{p / 10}}","sellerId":"s{{p % 3}}","price":{{10 + p}},"createdAt":"2024-06-01T00:00:00"}""");
        var model = FitRanker(histories);
        var plain = FitRanker(Walks(1500, seed: 6));

        var options = (RankerOptions)model.Options;
        var candidates = new int[RankingFeatures.MaxCandidates(options)];
        var features = new float[candidates.Length * RankingFeatures.Count];
        int Column(string name) => Array.IndexOf(RankingFeatures.Names, name);
        for (var buyer = 0; buyer < 20; buyer++)
        {
            var history = histories.ItemsOf(buyer);
            var count = RankingFeatures.Compute(model.Sources, (RankedProfile)model.ProfileOf(buyer, histories), options, candidates, features);
            for (var c = 0; c < count; c++)
            {
                var p = candidates[c];
                var row = features.AsSpan(c * RankingFeatures.Count, RankingFeatures.Count);
                var recent = history[Math.Max(0, history.Length - RankingFeatures.RecentHistory)..].ToArray();
                Assert.Equal(recent.Count(h => h / 10 == p / 10) / (float)recent.Length, row[Column("category_share")], 1e-6);
                Assert.Equal(recent.Count(h => h % 3 == p % 3) / (float)recent.Length, row[Column("seller_share")], 1e-6);
                Assert.Equal(history[^1] / 10 == p / 10 ? 1 : 0, row[Column("same_category_as_last")]);
                Assert.Equal(MathF.Log(10 + p) - recent.Average(h => MathF.Log(10 + h)), row[Column("price_to_usual")], 1e-4);
                foreach (var absent in new[] { "rating", "review_count", "discount" })
                    Assert.Equal(RankingFeatures.NoScore, row[Column(absent)]);
            }
        }

        // A shop that says nothing of its products (a benchmark file) has every content column absent.
        var plainCount = RankingFeatures.Compute(plain.Sources, (RankedProfile)plain.ProfileOf(0, histories), options, candidates, features);
        Assert.True(plainCount > 0);
        foreach (var name in new[] { "category_rank", "category_share", "seller_share", "same_category_as_last", "price_to_usual", "rating", "review_count", "discount" })
            for (var c = 0; c < plainCount; c++)
                Assert.True(features[c * RankingFeatures.Count + Column(name)] is RankingFeatures.NoScore or RankingFeatures.NoRank, $"{name} of a plain shop");
    }

    [Fact]
    public void The_categories_of_the_last_products_propose_their_best_sellers_the_buyer_does_not_have()
    {
        var histories = WithContent(Walks(1500, seed: 7), p => $$"""{"id":"p{{p}}","categoryId":"c{{p / 10}}","rating":4.5,"reviewCount":{{p}},"discount":0.1}""");
        var model = FitRanker(histories);
        var options = (RankerOptions)model.Options;
        var candidates = new int[RankingFeatures.MaxCandidates(options)];
        var features = new float[candidates.Length * RankingFeatures.Count];
        var rankColumn = Array.IndexOf(RankingFeatures.Names, "category_rank");
        var popularity = model.Sources.Popularity;
        for (var buyer = 0; buyer < 20; buyer++)
        {
            var history = histories.ItemsOf(buyer).ToArray();
            var count = RankingFeatures.Compute(model.Sources, (RankedProfile)model.ProfileOf(buyer, histories), options, candidates, features);

            // The last product's category comes first: its best seller the buyer lacks is proposed first.
            var category = history[^1] / 10;
            var expected = Enumerable.Range(category * 10, 10).Where(p => !history.Contains(p))
                .OrderByDescending(p => popularity[p]).ThenBy(p => p).First();
            var at = Array.IndexOf(candidates, expected, 0, count);
            Assert.True(at >= 0, $"buyer {buyer}: product {expected} was not proposed");
            Assert.Equal(1, features[at * RankingFeatures.Count + rankColumn]);
            Assert.Equal(4.5f, features[at * RankingFeatures.Count + Array.IndexOf(RankingFeatures.Names, "rating")]);
            Assert.Equal(MathF.Log(1 + expected), features[at * RankingFeatures.Count + Array.IndexOf(RankingFeatures.Names, "review_count")], 1e-6);
            Assert.DoesNotContain(candidates[..count], history.Contains);
        }
        Assert.Contains("category", model.RankerReport!.CheckNdcg10.Keys);
    }

    /// <summary>The same histories with what a shop's "Product" rows say of each product, as the training service gives it.</summary>
    private static BuyerHistories WithContent(BuyerHistories histories, Func<int, string> row)
    {
        var ids = new IdMap([.. Enumerable.Range(0, Products).Select(p => $"p{p}")]);
        var rows = Enumerable.Range(0, Products).Select(p => ProductRow.FromJson(System.Text.Encoding.UTF8.GetBytes(row(p)))).ToDictionary(r => r.Id);
        return new BuyerHistories(histories.Buyers, histories.Items, histories.RowStart, histories.ItemIndices, histories.Ticks, histories.Weights)
        {
            Content = ProductContent.Of(ids, rows),
        };
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
