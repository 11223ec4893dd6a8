using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using Recommender.Training.Matrix;

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
    private const string BuyerFactorsEntry = "buyer_factors.f32";
    private const string ProductFactorsEntry = "product_factors.f32";
    private const string BuyerProductsStartEntry = "buyer_products.rowstart.i32";
    private const string BuyerProductsIndicesEntry = "buyer_products.indices.i32";
    private const string BuyerProductsValuesEntry = "buyer_products.values.f32";
    private const string PopularityEntry = "popularity.f32";

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
        if (model.BuyerFactors is not null && model.ProductFactors is not null)
        {
            WriteArray<float>(zip, BuyerFactorsEntry, model.BuyerFactors.Data);
            WriteArray<float>(zip, ProductFactorsEntry, model.ProductFactors.Data);
        }
        WriteArray<int>(zip, BuyerProductsStartEntry, model.BuyerProducts.RowStart);
        WriteArray<int>(zip, BuyerProductsIndicesEntry, model.BuyerProducts.Indices);
        WriteArray<float>(zip, BuyerProductsValuesEntry, model.BuyerProducts.Values);
        WriteArray<float>(zip, PopularityEntry, model.Popularity);
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

            FactorMatrix? buyerFactors = null, productFactors = null;
            if (manifest.Factors > 0)
            {
                var stride = FactorMatrix.StrideFor(manifest.Factors);
                buyerFactors = new FactorMatrix(buyers.Count, manifest.Factors, ReadArray<float>(zip, BuyerFactorsEntry, (long)buyers.Count * stride));
                productFactors = new FactorMatrix(products.Count, manifest.Factors, ReadArray<float>(zip, ProductFactorsEntry, (long)products.Count * stride));
                if (buyerFactors.HasNonFinite() || productFactors.HasNonFinite())
                    throw new InvalidDataException("The model's factors contain NaN or infinity.");
            }

            var rowStart = ReadArray<int>(zip, BuyerProductsStartEntry, buyers.Count + 1L);
            var nonZeros = rowStart[^1];
            var indices = ReadArray<int>(zip, BuyerProductsIndicesEntry, nonZeros);
            var values = ReadArray<float>(zip, BuyerProductsValuesEntry, nonZeros);
            ValidateCsr(rowStart, indices, products.Count);
            var buyerProducts = new CsrMatrix(buyers.Count, products.Count, rowStart, indices, values);
            var popularity = ReadArray<float>(zip, PopularityEntry, products.Count);

            return new RecommenderModel(manifest, buyers, products, buyerFactors, productFactors, buyerProducts, popularity);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException or EndOfStreamException)
        {
            throw new InvalidDataException($"The model zip is malformed: {e.Message}", e);
        }
    }

    private static void ValidateCsr(int[] rowStart, int[] indices, int columns)
    {
        if (rowStart[0] != 0) throw new InvalidDataException("buyer_products must start at 0.");
        for (var r = 1; r < rowStart.Length; r++)
            if (rowStart[r] < rowStart[r - 1]) throw new InvalidDataException("buyer_products rows are out of order.");
        foreach (var c in indices)
            if ((uint)c >= (uint)columns) throw new InvalidDataException("buyer_products names a product outside the model.");
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
