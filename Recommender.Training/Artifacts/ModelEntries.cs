using System.IO.Compression;

namespace Recommender.Training.Artifacts;

/// <summary>Where a fitted model writes its own entries of the model zip.</summary>
public sealed class ModelEntryWriter(ZipArchive zip)
{
    public void WriteArray<T>(string name, ReadOnlySpan<T> values) where T : unmanaged => ZipEntries.WriteArray(zip, name, values);

    public void WriteJson<T>(string name, T value) => ZipEntries.WriteJson(zip, name, value);
}

/// <summary>
/// Where a fitted model reads its own entries back, with the sizes the rest of the zip fixed:
/// every read states the length it expects, so a truncated or mismatched entry is refused.
/// </summary>
public sealed class ModelEntryReader(ZipArchive zip, int buyers, int products, float[] popularity)
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

    public bool Has(string name) => zip.GetEntry(name) is not null;

    public T[] ReadArray<T>(string name, long expectedLength) where T : unmanaged => ZipEntries.ReadArray<T>(zip, name, expectedLength);

    public T ReadJson<T>(string name) => ZipEntries.ReadJson<T>(zip, name);

    /// <summary>Reads a CSR row-start array of <paramref name="rows"/> + 1 entries and checks it is ordered from 0.</summary>
    public int[] ReadRowStart(string name, int rows)
    {
        var rowStart = ReadArray<int>(name, rows + 1L);
        ZipEntries.ValidateRowStart(rowStart, name);
        return rowStart;
    }
}
