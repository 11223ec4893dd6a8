using System.IO.Compression;
using System.Text.Json;
using Recommender.Training.Algorithms;
using Recommender.Training.Matrix;

namespace Recommender.Training.Artifacts;

/// <summary>
/// The model zip: <c>manifest.json</c>, the id maps as JSON arrays, the histories, popularity and
/// trending as raw little-endian binaries (stored, not deflated, so loading is a copy), and the
/// fitted algorithm's own entries, which it writes and reads itself (<see cref="IFittedModel.Write"/>,
/// <see cref="IRecommenderAlgorithm.Read"/>). Every length is checked against the manifest on
/// load, so a truncated or mismatched zip is rejected whole.
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

    public static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    static ModelArtifact()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Model files are little-endian.");
    }

    public static void Write(RecommenderModel model, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Manifest.Algorithm != model.Fitted.Algorithm || model.Manifest.FormatVersion != ModelManifest.CurrentFormatVersion)
            throw new ArgumentException("The manifest must describe the fitted model in the current format (ModelManifest.Describing).", nameof(model));
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
        model.Fitted.Write(new ModelEntryWriter(zip));
        if (model.Variants.Count != model.Manifest.Variants.Count || model.Variants.Keys.Any(name => !model.Manifest.Variants.ContainsKey(name)))
            throw new ArgumentException("The manifest must list every variant's model.", nameof(model));
        foreach (var (name, fitted) in model.Variants)
            fitted.Write(new ModelEntryWriter(zip, VariantPrefix(name)));
    }

    /// <summary>Where a variant's model keeps its entries in the zip.</summary>
    public static string VariantPrefix(string variant) => $"variants/{variant}/";

    /// <summary>Reads a model zip; throws <see cref="InvalidDataException"/> for anything malformed.</summary>
    public static RecommenderModel Read(Stream source)
    {
        try
        {
            using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
            var manifest = ZipEntries.ReadJson<ModelManifest>(zip, ManifestEntry);
            if (manifest.FormatVersion is < ModelManifest.OldestReadableFormatVersion or > ModelManifest.CurrentFormatVersion)
                throw new InvalidDataException(
                    $"Model format {manifest.FormatVersion} is not supported: this version reads formats {ModelManifest.OldestReadableFormatVersion} to {ModelManifest.CurrentFormatVersion}.");

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
            var trending = ZipEntries.ReadArray<float>(zip, TrendingEntry, products.Count, allowNoScore: true);
            var own = new ModelEntryReader(zip, buyers.Count, products.Count, popularity);
            var fitted = ReadFitted(own, manifest);
            var variants = new Dictionary<string, IFittedModel>(StringComparer.Ordinal);
            foreach (var (name, variant) in manifest.Variants)
                variants[name] = ReadFitted(own.Under(VariantPrefix(name)), variant.Algorithm, variant.Options, variant.AlgorithmFormat);
            return new RecommenderModel(manifest, buyers, products, histories, fitted, popularity, trending, variants);
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

    /// <summary>The algorithm's own entries, read by the algorithm the manifest names.</summary>
    private static IFittedModel ReadFitted(ModelEntryReader entries, ModelManifest manifest)
    {
        var algorithm = AlgorithmRegistry.Find(manifest.Algorithm)
            ?? throw new InvalidDataException($"Unknown algorithm '{manifest.Algorithm}' in the manifest; this version knows {string.Join(", ", AlgorithmRegistry.Names)}.");
        // Format 2 kept the options as numbers beside the interaction weights; its entries are each algorithm's format 1.
        var options = manifest.Options is { } json
            ? json.Deserialize(algorithm.OptionsType, ManifestJson) ?? throw new InvalidDataException("The manifest's options are empty.")
            : OptionBinding.FromNumbers(algorithm.DefaultOptions(), manifest.Hyperparameters);
        var fitted = algorithm.Read(entries, manifest.FormatVersion == 2 ? 1 : manifest.AlgorithmFormat, options);
        fitted.CheckShape(entries.Buyers, entries.Products);
        return fitted;
    }

    /// <summary>A variant's model, under its own prefix, as its manifest record describes it.</summary>
    private static IFittedModel ReadFitted(ModelEntryReader entries, string algorithmName, JsonElement optionsJson, int format)
    {
        var algorithm = AlgorithmRegistry.Find(algorithmName)
            ?? throw new InvalidDataException($"Unknown algorithm '{algorithmName}' for a variant in the manifest; this version knows {string.Join(", ", AlgorithmRegistry.Names)}.");
        var options = optionsJson.Deserialize(algorithm.OptionsType, ManifestJson) ?? throw new InvalidDataException("A variant's options are empty.");
        var fitted = algorithm.Read(entries, format, options);
        fitted.CheckShape(entries.Buyers, entries.Products);
        return fitted;
    }
}
