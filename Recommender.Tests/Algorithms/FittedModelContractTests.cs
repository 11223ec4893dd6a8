using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Recommender.Api.Catalog;
using Recommender.Api.Serving;
using Recommender.Training.Algorithms;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;
using Recommender.Training.Matrix;
using Recommender.Training.Scoring;

namespace Recommender.Tests.Algorithms;

/// <summary>
/// The fitted-model contract, written once and run against every algorithm in the registry with
/// its default options: a new algorithm is tested the moment it is registered.
/// </summary>
public sealed class FittedModelContractTests
{
    private const int Size = 40;
    private const int WithheldPerBuyer = 3;

    public static TheoryData<string> Algorithms => [.. AlgorithmRegistry.Names];

    /// <summary>Buyers of even index own even products, odd own odd, each missing <see cref="WithheldPerBuyer"/> of them.</summary>
    private static BuyerHistories Checkerboard(out int[][] withheld)
    {
        var matrix = TestMatrices.Checkerboard(Size, WithheldPerBuyer, out withheld);
        return TestHistories.Of(Size, [.. Enumerable.Range(0, matrix.Rows).Select(b => matrix.Indices[matrix.RowStart[b]..matrix.RowStart[b + 1]])]);
    }

    /// <summary>
    /// Options for a 40-product shop: a factorization's defaults have more factors than the
    /// checkerboard has structure, and would learn the withheld cells' absence as well.
    /// An algorithm not named here runs with its defaults.
    /// </summary>
    private static readonly Dictionary<string, (string Key, object Value)[]> SmallShopOptions = new()
    {
        ["als"] = [("factors", 8), ("iterations", 5), ("regularization", 1)],
        ["svd"] = [("components", 2)],
    };

    /// <summary>What serves after the fit: a fit that gives way (<see cref="IFittedModel.Verdict"/>) serves its replacement.</summary>
    private static IFittedModel Fit(string algorithm, BuyerHistories histories) =>
        Candidate.Of(algorithm, SmallShopOptions.GetValueOrDefault(algorithm, [])).Fit(histories, CancellationToken.None).Served;

    private static int[] TopWithoutOwned(IFittedModel model, BuyerProfile profile, BuyerHistory owned, int k, bool rankEverything = true)
    {
        var scores = new float[model.Products];
        model.Score(profile, scores, rankEverything);
        ModelScorer.ExcludeOwned(owned.Owned, scores);
        var best = new int[k];
        return best[..TopK.Select(scores, best)];
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Withheld_checkerboard_cells_rank_first(string algorithm)
    {
        var histories = Checkerboard(out var withheld);
        var model = Fit(algorithm, histories);

        for (var buyer = 0; buyer < histories.Buyers; buyer++)
        {
            var top = TopWithoutOwned(model, model.ProfileOf(buyer, histories), BuyerHistory.Of(histories, buyer), WithheldPerBuyer);
            if (model.IsPersonalized)
                Assert.Equal(withheld[buyer].Order(), top.Order());
            else
                Assert.Equal(TopWithoutOwned(model, model.ProfileOf(0, histories), BuyerHistory.Of(histories, buyer), WithheldPerBuyer), top);
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Folding_in_a_training_buyers_own_history_ranks_like_the_fitted_buyer(string algorithm)
    {
        var histories = Checkerboard(out _);
        var model = Fit(algorithm, histories);

        for (var buyer = 0; buyer < histories.Buyers; buyer++)
        {
            var history = BuyerHistory.Of(histories, buyer);
            var fitted = TopWithoutOwned(model, model.ProfileOf(buyer, histories), history, WithheldPerBuyer);
            var foldedIn = TopWithoutOwned(model, model.FoldIn(history), history, WithheldPerBuyer);
            Assert.Equal(fitted.Order(), foldedIn.Order());
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Similar_products_never_include_the_product_itself(string algorithm)
    {
        var histories = Checkerboard(out _);
        var snapshot = Snapshot(Fit(algorithm, histories), histories);

        for (var product = 0; product < Size; product++)
        {
            var list = RecommendationEngine.SimilarTo(snapshot, product, ProductFilter.None, topK: 10);
            Assert.Equal(10, list.Products.Count);
            Assert.DoesNotContain(list.Products, row => row.Id == Id(product));
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void An_explanation_names_only_products_of_the_buyers_history(string algorithm)
    {
        var histories = Checkerboard(out var withheld);
        var model = Fit(algorithm, histories);

        for (var buyer = 0; buyer < histories.Buyers; buyer++)
        {
            var explanation = model.Explain(model.FoldIn(BuyerHistory.Of(histories, buyer)), withheld[buyer][0], top: 3);
            if (!model.IsPersonalized)
            {
                Assert.Empty(explanation);
                continue;
            }
            Assert.NotEmpty(explanation);
            Assert.All(explanation, c => Assert.Contains(c.Product, histories.ItemsOf(buyer).ToArray()));
            Assert.All(explanation, c => Assert.InRange(c.Share, 0f, 1f));
            Assert.Equal(explanation.OrderByDescending(c => c.Share).Select(c => c.Product), explanation.Select(c => c.Product));
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Writing_then_reading_round_trips_bit_identically(string algorithm)
    {
        var histories = Checkerboard(out _);
        var model = Model(Fit(algorithm, histories), histories);

        var written = Zip(model);
        var read = ModelArtifact.Read(new MemoryStream(written));

        Assert.Equal(Entries(written), Entries(Zip(read)));
        Assert.Equal(model.Fitted.GetType(), read.Fitted.GetType());
        for (var buyer = 0; buyer < histories.Buyers; buyer++)
            Assert.Equal(Scores(model.Fitted, model.Fitted.ProfileOf(buyer, histories)), Scores(read.Fitted, read.Fitted.ProfileOf(buyer, read.Histories)));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_zip_written_in_the_previous_format_is_still_read(string algorithm)
    {
        var histories = Checkerboard(out _);
        var model = Model(Fit(algorithm, histories), histories);

        var read = ModelArtifact.Read(new MemoryStream(AsFormatTwo(Zip(model))));

        Assert.Equal(model.Fitted.Algorithm, read.Fitted.Algorithm);
        for (var buyer = 0; buyer < histories.Buyers; buyer++)
            Assert.Equal(Scores(model.Fitted, model.Fitted.ProfileOf(buyer, histories)), Scores(read.Fitted, read.Fitted.ProfileOf(buyer, read.Histories)));
    }

    [Fact]
    public void A_zip_of_a_format_this_version_does_not_know_is_refused_with_a_clear_error()
    {
        var histories = Checkerboard(out _);
        var zip = Zip(Model(Fit("als", histories), histories));

        var tooOld = Rewrite(zip, manifest => manifest["formatVersion"] = 1, dropEntries: []);
        var unknown = Rewrite(zip, manifest => manifest["algorithm"] = "magic", dropEntries: []);

        Assert.Contains("format 1 is not supported", Assert.Throws<InvalidDataException>(() => ModelArtifact.Read(new MemoryStream(tooOld))).Message);
        Assert.Contains("Unknown algorithm 'magic'", Assert.Throws<InvalidDataException>(() => ModelArtifact.Read(new MemoryStream(unknown))).Message);
    }

    /// <summary>
    /// What format 2 wrote: no options object or algorithm format in the manifest (the options were
    /// numbers among the hyperparameters, as now) and no popularity of the model's own.
    /// </summary>
    private static byte[] AsFormatTwo(byte[] zip) => Rewrite(zip, manifest =>
    {
        manifest["formatVersion"] = 2;
        manifest.Remove("options");
        manifest.Remove("algorithmFormat");
    }, dropEntries: ["similarities.popularity.f32", "popularity.model.f32"]);

    private static byte[] Rewrite(byte[] zip, Action<JsonObject> changeManifest, string[] dropEntries)
    {
        var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries.Where(e => !dropEntries.Contains(e.FullName)))
            {
                using var reader = entry.Open();
                var bytes = new MemoryStream();
                reader.CopyTo(bytes);
                var content = bytes.ToArray();
                if (entry.FullName == "manifest.json")
                {
                    var manifest = JsonNode.Parse(content)!.AsObject();
                    changeManifest(manifest);
                    content = Encoding.UTF8.GetBytes(manifest.ToJsonString());
                }
                using var writer = target.CreateEntry(entry.FullName).Open();
                writer.Write(content);
            }
        }
        return output.ToArray();
    }

    private static float[] Scores(IFittedModel model, BuyerProfile profile)
    {
        var scores = new float[model.Products];
        model.Score(profile, scores, rankEverything: true);
        return scores;
    }

    private static string Id(int product) => $"p{product}";

    /// <summary>A model zip around the fitted model, with the model's own popularity as the model-wide one.</summary>
    private static RecommenderModel Model(IFittedModel fitted, BuyerHistories histories)
    {
        var popularity = new float[Size];
        foreach (var item in histories.ItemIndices) popularity[item]++;
        var manifest = new ModelManifest
        {
            Version = 1,
            Algorithm = fitted.Algorithm,
            DataFingerprint = "contract",
            SettingsFingerprint = "contract",
            Buyers = histories.Buyers,
            Products = Size,
            Interactions = histories.Count,
            TrainedAt = TestHistories.Start,
            Hyperparameters = OptionBinding.ToNumbers(fitted.Options),
        }.Describing(fitted);
        return new RecommenderModel(manifest, new IdMap([.. Enumerable.Range(0, histories.Buyers).Select(b => $"b{b}")]),
            new IdMap([.. Enumerable.Range(0, Size).Select(Id)]), histories, fitted, popularity, new float[Size]);
    }

    private static ServingSnapshot Snapshot(IFittedModel fitted, BuyerHistories histories)
    {
        var rows = Enumerable.Range(0, Size).ToDictionary(Id,
            p => ProductRow.FromJson(Encoding.UTF8.GetBytes($$"""{"id":"{{Id(p)}}","status":"ACTIVE","price":1}""")));
        return new ServingSnapshot(Model(fitted, histories), new ProductCatalog(rows, DateTimeOffset.UnixEpoch), new SellabilityRules());
    }

    private static byte[] Zip(RecommenderModel model)
    {
        var buffer = new MemoryStream();
        ModelArtifact.Write(model, buffer);
        return buffer.ToArray();
    }

    private static Dictionary<string, string> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            return Convert.ToHexString(bytes.ToArray());
        });
    }
}
