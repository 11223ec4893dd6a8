using System.IO.Compression;

namespace Recommender.Training.Artifacts;

/// <summary>Where a fitted model writes its own entries of the model zip.</summary>
/// <param name="prefix">Put before every name: a variant's model writes under <c>variants/{name}/</c>.</param>
public sealed class ModelEntryWriter(ZipArchive zip, string prefix = "")
{
    public void WriteArray<T>(string name, ReadOnlySpan<T> values) where T : unmanaged => ZipEntries.WriteArray(zip, prefix + name, values);

    public void WriteJson<T>(string name, T value) => ZipEntries.WriteJson(zip, prefix + name, value);
}

/// <summary>
/// Where a fitted model reads its own entries back, with the sizes the rest of the zip fixed:
/// every read states the length it expects, so a truncated or mismatched entry is refused.
/// </summary>
/// <param name="prefix">Put before every name, as it was written (<see cref="ModelEntryWriter"/>).</param>
public sealed class ModelEntryReader(ZipArchive zip, int buyers, int products, float[] popularity, string prefix = "")
{
    /// <summary>Rows of the buyer id map.</summary>
    public int Buyers { get; } = buyers;

    /// <summary>Rows of the product id map.</summary>
    public int Products { get; } = products;

    /// <summary>
    /// The model-wide popularity of every product, for models written before they stored their
    /// own (format 2 zips).
    /// </summary>
    public float[] Popularity { get; } = popularity;

    public bool Has(string name) => zip.GetEntry(prefix + name) is not null;

    public T[] ReadArray<T>(string name, long expectedLength) where T : unmanaged => ZipEntries.ReadArray<T>(zip, prefix + name, expectedLength);

    public T ReadJson<T>(string name) => ZipEntries.ReadJson<T>(zip, prefix + name);

    /// <summary>The same zip's entries under another prefix (a variant's model).</summary>
    public ModelEntryReader Under(string otherPrefix) => new(zip, Buyers, Products, Popularity, otherPrefix);

    /// <summary>Reads a CSR row-start array of <paramref name="rows"/> + 1 entries and checks it is ordered from 0.</summary>
    public int[] ReadRowStart(string name, int rows)
    {
        var rowStart = ReadArray<int>(name, rows + 1L);
        ZipEntries.ValidateRowStart(rowStart, name);
        return rowStart;
    }
}
