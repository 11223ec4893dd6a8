using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.Factorization;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Artifacts;
using Recommender.Training.Matrix;

namespace Recommender.Tests.Fakes;

/// <summary>Hand-made models whose scores are known exactly, for tests of serving.</summary>
public static class TestModels
{
    /// <summary>A product every buyer bought long ago and the shop no longer lists: it gives each buyer the history a personalized list needs, and is never shown.</summary>
    public const string Delisted = "delisted-product";

    /// <summary>
    /// One factor carries the score: product p gets <paramref name="productScores"/>[p] for every
    /// buyer, so the expected order is known. <paramref name="owned"/> lists each buyer's products
    /// (besides three orders of <see cref="Delisted"/>). Without <paramref name="trending"/> no
    /// product is trending, so fallbacks come from <paramref name="popularity"/>.
    /// </summary>
    public static RecommenderModel WithScores(
        long version,
        string[] buyers,
        string[] products,
        float[] productScores,
        Dictionary<string, string[]>? owned = null,
        float[]? popularity = null,
        float[]? trending = null)
    {
        products = [.. products, Delisted];
        productScores = [.. productScores, 0f];
        var buyerFactors = new FactorMatrix(buyers.Length, 1);
        for (var b = 0; b < buyers.Length; b++) buyerFactors.Row(b)[0] = 1f;
        var productFactors = new FactorMatrix(products.Length, 1);
        for (var p = 0; p < products.Length; p++) productFactors.Row(p)[0] = productScores[p];

        var histories = Histories(products, buyers, buyer => [Delisted, Delisted, Delisted, .. owned?.GetValueOrDefault(buyer) ?? []]);
        var fitted = new AlsModel(new LatentFactors(buyerFactors, productFactors), new AlsOptions { Factors = 1 });
        var manifest = Manifest(version, fitted, buyers.Length, products.Length, histories.Count);
        return new RecommenderModel(manifest, new IdMap(buyers), new IdMap(products), histories, fitted,
            [.. popularity ?? new float[products.Length - 1], 0f],
            [.. trending ?? Enumerable.Repeat(float.NegativeInfinity, products.Length - 1), float.NegativeInfinity]);
    }

    /// <summary>
    /// An item-to-item model with the given similarities (a → b), buyer histories (oldest first),
    /// trending log-scores and popularity, over <paramref name="products"/>.
    /// </summary>
    public static RecommenderModel ItemBased(
        long version,
        string[] products,
        (string From, string To, float Similarity)[] similarities,
        Dictionary<string, string[]> histories,
        float[] trending,
        float[] popularity)
    {
        var index = products.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var matrix = CsrMatrix.FromCoordinates(products.Length, products.Length,
            similarities.Select(s => index[s.From]).ToArray(), similarities.Select(s => index[s.To]).ToArray(),
            similarities.Select(s => s.Similarity).ToArray());
        var buyers = histories.Keys.ToArray();
        var buyerHistories = Histories(products, buyers, buyer => histories[buyer]);
        var fitted = new ItemKnnModel(matrix, popularity, halfLifeDays: 0);
        var manifest = Manifest(version, fitted, buyers.Length, products.Length, buyerHistories.Count);
        return new RecommenderModel(manifest, new IdMap(buyers), new IdMap(products), buyerHistories, fitted, popularity, trending);
    }

    /// <summary>Each buyer's products in order, one tick apart, all with weight 1.</summary>
    private static BuyerHistories Histories(string[] products, string[] buyers, Func<string, string[]> productsOf)
    {
        var index = products.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var rowStart = new int[buyers.Length + 1];
        var items = new List<int>();
        for (var b = 0; b < buyers.Length; b++)
        {
            items.AddRange(productsOf(buyers[b]).Select(p => index[p]));
            rowStart[b + 1] = items.Count;
        }
        return new BuyerHistories(buyers.Length, products.Length, rowStart, [.. items],
            Enumerable.Range(0, items.Count).Select(i => (long)i).ToArray(), Enumerable.Repeat(1f, items.Count).ToArray());
    }

    private static ModelManifest Manifest(long version, IFittedModel fitted, int buyers, int products, int interactions) => new ModelManifest
    {
        Version = version,
        Algorithm = fitted.Algorithm,
        DataFingerprint = "test",
        SettingsFingerprint = "test",
        Buyers = buyers,
        Products = products,
        Interactions = interactions,
        TrainedAt = DateTimeOffset.UtcNow,
    }.Describing(fitted);
}
