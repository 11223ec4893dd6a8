using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using Recommender.Training.Algorithms;
using Recommender.Training.Matrix;
using Recommender.Training.Scoring;

namespace Recommender.Training.Artifacts;

/// <summary>
/// The model zip: <c>manifest.json</c>, the id maps as JSON arrays, and the numeric arrays as
/// raw little-endian binaries (stored, not deflated, so loading is a copy). Every length is
/// checked against the manifest on load, so a truncated or mismatched zip is rejected whole.
/// </summary>
public static class ModelArtifact
{
    private const string ManifestEntry = "manifest.json";
    private const string BuyersEntry = "buyers.json";
    private const string ProductsEntry = "products.json";
    private const string HistoryStartEntry = "histories.rowstart.i32";
    private const string HistoryItemsEntry = "histories.items.i32";
    private const string HistoryTicksEntry = "histories.ticks.i64";
    private const string HistoryWeightsEntry = "histories.weights.f32";
    private const string PopularityEntry = "popularity.f32";
    private const string TrendingEntry = "trending.f32";
    private const string BuyerFactorsEntry = "buyer_factors.f32";
    private const string ProductFactorsEntry = "product_factors.f32";
    private const string SimilarityStartEntry = "similarities.rowstart.i32";
    private const string SimilarityIndicesEntry = "similarities.indices.i32";
    private const string SimilarityValuesEntry = "similarities.values.f32";

    /// <summary>The hyperparameter an item-to-item model's profile half-life is stored under.</summary>
    public const string HalfLifeKey = "halflife";

    public static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    static ModelArtifact()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Model files are little-endian.");
    }

    public static void Write(RecommenderModel model, Stream destination)
    {
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        ZipEntries.WriteJson(zip, ManifestEntry, model.Manifest);
        ZipEntries.WriteJson(zip, BuyersEntry, model.Buyers.Ids);
        ZipEntries.WriteJson(zip, ProductsEntry, model.Products.Ids);
        var histories = model.Histories;
        ZipEntries.WriteArray<int>(zip, HistoryStartEntry, histories.RowStart);
        ZipEntries.WriteArray<int>(zip, HistoryItemsEntry, histories.ItemIndices);
        ZipEntries.WriteArray<long>(zip, HistoryTicksEntry, histories.Ticks);
        ZipEntries.WriteArray<float>(zip, HistoryWeightsEntry, histories.Weights);
        ZipEntries.WriteArray<float>(zip, PopularityEntry, model.Popularity);
        ZipEntries.WriteArray<float>(zip, TrendingEntry, model.Trending);
        switch (model.Scorer)
        {
            case FactorScorer factors:
                ZipEntries.WriteArray<float>(zip, BuyerFactorsEntry, factors.Buyers.Data);
                ZipEntries.WriteArray<float>(zip, ProductFactorsEntry, factors.Products.Data);
                break;
            case ItemKnnScorer itemKnn:
                ZipEntries.WriteArray<int>(zip, SimilarityStartEntry, itemKnn.Model.Similarities.RowStart);
                ZipEntries.WriteArray<int>(zip, SimilarityIndicesEntry, itemKnn.Model.Similarities.Indices);
                ZipEntries.WriteArray<float>(zip, SimilarityValuesEntry, itemKnn.Model.Similarities.Values);
                break;
        }
    }

    /// <summary>Reads a model zip; throws <see cref="InvalidDataException"/> for anything malformed.</summary>
    public static RecommenderModel Read(Stream source)
    {
        try
        {
            using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
            var manifest = ZipEntries.ReadJson<ModelManifest>(zip, ManifestEntry);
            if (manifest.FormatVersion != ModelManifest.CurrentFormatVersion)
                throw new InvalidDataException($"Model format {manifest.FormatVersion} is not supported (expected {ModelManifest.CurrentFormatVersion}).");

            var buyers = new IdMap(ZipEntries.ReadJson<string[]>(zip, BuyersEntry));
            var products = new IdMap(ZipEntries.ReadJson<string[]>(zip, ProductsEntry));
            if (buyers.Count != manifest.Buyers || products.Count != manifest.Products)
                throw new InvalidDataException("The id maps do not match the manifest's counts.");

            var historyStart = ZipEntries.ReadArray<int>(zip, HistoryStartEntry, buyers.Count + 1L);
            ZipEntries.ValidateRowStart(historyStart, HistoryStartEntry);
            var entries = historyStart[^1];
            var histories = new BuyerHistories(buyers.Count, products.Count, historyStart,
                ZipEntries.ReadArray<int>(zip, HistoryItemsEntry, entries),
                ZipEntries.ReadArray<long>(zip, HistoryTicksEntry, entries),
                ZipEntries.ReadArray<float>(zip, HistoryWeightsEntry, entries));
            var popularity = ZipEntries.ReadArray<float>(zip, PopularityEntry, products.Count);
            var trending = ZipEntries.ReadArray<float>(zip, TrendingEntry, products.Count);
            var scorer = ReadScorer(zip, manifest, buyers.Count, products.Count, popularity);
            return new RecommenderModel(manifest, buyers, products, histories, scorer, popularity, trending);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException or EndOfStreamException)
        {
            throw new InvalidDataException($"The model zip is malformed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads only the manifest of a model zip (a few hundred bytes: the zip's directory and one
    /// entry, not the arrays); throws <see cref="InvalidDataException"/> for anything malformed.
    /// </summary>
    public static ModelManifest ReadManifest(Stream source)
    {
        try
        {
            using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
            return ZipEntries.ReadJson<ModelManifest>(zip, ManifestEntry);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The model manifest is malformed: {e.Message}", e);
        }
    }

    private static IBuyerScorer ReadScorer(ZipArchive zip, ModelManifest manifest, int buyers, int products, float[] popularity)
    {
        switch (manifest.Algorithm)
        {
            case "popularity":
                return new PopularityScorer(popularity);
            case "als" or "svd":
                if (manifest.Factors < 1) throw new InvalidDataException("A factor model needs at least one factor.");
                var stride = FactorMatrix.StrideFor(manifest.Factors);
                var buyerFactors = new FactorMatrix(buyers, manifest.Factors, ZipEntries.ReadArray<float>(zip, BuyerFactorsEntry, (long)buyers * stride));
                var productFactors = new FactorMatrix(products, manifest.Factors, ZipEntries.ReadArray<float>(zip, ProductFactorsEntry, (long)products * stride));
                if (buyerFactors.HasNonFinite() || productFactors.HasNonFinite())
                    throw new InvalidDataException("The model's factors contain NaN or infinity.");
                return new FactorScorer(buyerFactors, productFactors);
            case "itemknn":
                var start = ZipEntries.ReadArray<int>(zip, SimilarityStartEntry, products + 1L);
                ZipEntries.ValidateRowStart(start, SimilarityStartEntry);
                var indices = ZipEntries.ReadArray<int>(zip, SimilarityIndicesEntry, start[^1]);
                foreach (var c in indices)
                    if ((uint)c >= (uint)products) throw new InvalidDataException("A similarity names a product outside the model.");
                var similarities = new CsrMatrix(products, products, start, indices, ZipEntries.ReadArray<float>(zip, SimilarityValuesEntry, start[^1]));
                var halfLife = manifest.Hyperparameters.GetValueOrDefault(HalfLifeKey);
                return new ItemKnnScorer(new ItemKnnModel(similarities, popularity, halfLife));
            default:
                throw new InvalidDataException($"Unknown algorithm '{manifest.Algorithm}' in the manifest.");
        }
    }
}
