using Recommender.Training.Artifacts;
using Recommender.Training.Matrix;

namespace Recommender.Tests.Fakes;

/// <summary>Hand-made models whose scores are known exactly, for tests of serving.</summary>
public static class TestModels
{
    /// <summary>
    /// One factor carries the score: product p gets <paramref name="productScores"/>[p] for every
    /// buyer, so the expected order is known. <paramref name="owned"/> lists each buyer's products.
    /// </summary>
    public static RecommenderModel WithScores(
        long version,
        string[] buyers,
        string[] products,
        float[] productScores,
        Dictionary<string, string[]>? owned = null,
        float[]? popularity = null)
    {
        var buyerFactors = new FactorMatrix(buyers.Length, 1);
        for (var b = 0; b < buyers.Length; b++) buyerFactors.Row(b)[0] = 1f;
        var productFactors = new FactorMatrix(products.Length, 1);
        for (var p = 0; p < products.Length; p++) productFactors.Row(p)[0] = productScores[p];

        var productIndex = products.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var rows = new List<int>();
        var columns = new List<int>();
        for (var b = 0; b < buyers.Length; b++)
            foreach (var product in owned?.GetValueOrDefault(buyers[b]) ?? [])
            {
                rows.Add(b);
                columns.Add(productIndex[product]);
            }
        var buyerProducts = CsrMatrix.FromCoordinates(buyers.Length, products.Length,
            rows.ToArray(), columns.ToArray(), Enumerable.Repeat(1f, rows.Count).ToArray());

        var manifest = new ModelManifest
        {
            Version = version,
            Algorithm = "test",
            DataFingerprint = "test",
            SettingsFingerprint = "test",
            Buyers = buyers.Length,
            Products = products.Length,
            Interactions = rows.Count,
            Factors = 1,
            TrainedAt = DateTimeOffset.UtcNow,
        };
        return new RecommenderModel(manifest, new IdMap(buyers), new IdMap(products), buyerFactors, productFactors,
            buyerProducts, popularity ?? new float[products.Length]);
    }
}
