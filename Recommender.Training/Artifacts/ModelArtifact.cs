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
        WriteJson(zip, ManifestEntry, model.Manifest);
        WriteJson(zip, BuyersEntry, model.Buyers.Ids);
        WriteJson(zip, ProductsEntry, model.Products.Ids);
        var histories = model.Histories;
        WriteArray<int>(zip, HistoryStartEntry, histories.RowStart);
        WriteArray<int>(zip, HistoryItemsEntry, histories.ItemIndices);
        WriteArray<long>(zip, HistoryTicksEntry, histories.Ticks);
        WriteArray<float>(zip, HistoryWeightsEntry, histories.Weights);
        WriteArray<float>(zip, PopularityEntry, model.Popularity);
        WriteArray<float>(zip, TrendingEntry, model.Trending);
        switch (model.Scorer)
        {
            case FactorScorer factors:
                WriteArray<float>(zip, BuyerFactorsEntry, factors.Buyers.Data);
                WriteArray<float>(zip, ProductFactorsEntry, factors.Products.Data);
                break;
            case ItemKnnScorer itemKnn:
                WriteArray<int>(zip, SimilarityStartEntry, itemKnn.Model.Similarities.RowStart);
                WriteArray<int>(zip, SimilarityIndicesEntry, itemKnn.Model.Similarities.Indices);
                WriteArray<float>(zip, SimilarityValuesEntry, itemKnn.Model.Similarities.Values);
                break;
        }
    }

    /// <summary>Reads a model zip; throws <see cref="InvalidDataException"/> for anything malformed.</summary>
    public static RecommenderModel Read(Stream source)
    {
        try
        {
            using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
            var manifest = ReadJson<ModelManifest>(zip, ManifestEntry);
            if (manifest.FormatVersion != ModelManifest.CurrentFormatVersion)
                throw new InvalidDataException($"Model format {manifest.FormatVersion} is not supported (expected {ModelManifest.CurrentFormatVersion}).");

            var buyers = new IdMap(ReadJson<string[]>(zip, BuyersEntry));
            var products = new IdMap(ReadJson<string[]>(zip, ProductsEntry));
            if (buyers.Count != manifest.Buyers || products.Count != manifest.Products)
                throw new InvalidDataException("The id maps do not match the manifest's counts.");

            var historyStart = ReadArray<int>(zip, HistoryStartEntry, buyers.Count + 1L);
            ValidateRowStart(historyStart, HistoryStartEntry);
            var entries = historyStart[^1];
            var histories = new BuyerHistories(buyers.Count, products.Count, historyStart,
                ReadArray<int>(zip, HistoryItemsEntry, entries),
                ReadArray<long>(zip, HistoryTicksEntry, entries),
                ReadArray<float>(zip, HistoryWeightsEntry, entries));
            var popularity = ReadArray<float>(zip, PopularityEntry, products.Count);
            var trending = ReadArray<float>(zip, TrendingEntry, products.Count);
            var scorer = ReadScorer(zip, manifest, buyers.Count, products.Count, popularity);
            return new RecommenderModel(manifest, buyers, products, histories, scorer, popularity, trending);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException or EndOfStreamException)
        {
            throw new InvalidDataException($"The model zip is malformed: {e.Message}", e);
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
                var buyerFactors = new FactorMatrix(buyers, manifest.Factors, ReadArray<float>(zip, BuyerFactorsEntry, (long)buyers * stride));
                var productFactors = new FactorMatrix(products, manifest.Factors, ReadArray<float>(zip, ProductFactorsEntry, (long)products * stride));
                if (buyerFactors.HasNonFinite() || productFactors.HasNonFinite())
                    throw new InvalidDataException("The model's factors contain NaN or infinity.");
                return new FactorScorer(buyerFactors, productFactors);
            case "itemknn":
                var start = ReadArray<int>(zip, SimilarityStartEntry, products + 1L);
                ValidateRowStart(start, SimilarityStartEntry);
                var indices = ReadArray<int>(zip, SimilarityIndicesEntry, start[^1]);
                foreach (var c in indices)
                    if ((uint)c >= (uint)products) throw new InvalidDataException("A similarity names a product outside the model.");
                var similarities = new CsrMatrix(products, products, start, indices, ReadArray<float>(zip, SimilarityValuesEntry, start[^1]));
                var halfLife = manifest.Hyperparameters.GetValueOrDefault(HalfLifeKey);
                return new ItemKnnScorer(new ItemKnnModel(similarities, popularity, halfLife));
            default:
                throw new InvalidDataException($"Unknown algorithm '{manifest.Algorithm}' in the manifest.");
        }
    }

    private static void ValidateRowStart(int[] rowStart, string name)
    {
        if (rowStart[0] != 0) throw new InvalidDataException($"{name} must start at 0.");
        for (var r = 1; r < rowStart.Length; r++)
            if (rowStart[r] < rowStart[r - 1]) throw new InvalidDataException($"{name} is out of order.");
    }

    private static void WriteJson<T>(ZipArchive zip, string name, T value)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        JsonSerializer.Serialize(stream, value, ManifestJson);
    }

    private static T ReadJson<T>(ZipArchive zip, string name)
    {
        using var stream = Entry(zip, name).Open();
        return JsonSerializer.Deserialize<T>(stream, ManifestJson) ?? throw new InvalidDataException($"{name} is empty.");
    }

    private static void WriteArray<T>(ZipArchive zip, string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(MemoryMarshal.AsBytes(values));
    }

    private static T[] ReadArray<T>(ZipArchive zip, string name, long expectedLength) where T : unmanaged
    {
        var entry = Entry(zip, name);
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (expectedLength < 0 || entry.Length != expectedLength * size)
            throw new InvalidDataException($"{name} holds {entry.Length} bytes; expected {expectedLength * size}.");
        var values = new T[expectedLength];
        using var stream = entry.Open();
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static ZipArchiveEntry Entry(ZipArchive zip, string name) =>
        zip.GetEntry(name) ?? throw new InvalidDataException($"The model zip has no {name}.");
}
