using System.IO.Compression;

namespace Recommender.Training.Artifacts;

/// <summary>Where a fitted model writes its own entries of the model zip.</summary>
/// <param name="prefix">Put before every name: a model made of other models writes each under a folder of its own.</param>
public sealed class ModelEntryWriter(ZipArchive zip, string prefix = "")
{
    public void WriteArray<T>(string name, ReadOnlySpan<T> values) where T : unmanaged => ZipEntries.WriteArray(zip, prefix + name, values);

    public void WriteJson<T>(string name, T value) => ZipEntries.WriteJson(zip, prefix + name, value);

    /// <summary>An entry of another format kept whole (an ML.NET model zip, say).</summary>
    public void WriteBytes(string name, ReadOnlySpan<byte> bytes) => ZipEntries.WriteArray(zip, prefix + name, bytes);

    /// <summary>The same zip with every name under <paramref name="folder"/> (ending in '/').</summary>
    public ModelEntryWriter Under(string folder) => new(zip, prefix + folder);
}

/// <summary>
/// Where a fitted model reads its own entries back, with the sizes the rest of the zip fixed:
/// every read states the length it expects, so a truncated or mismatched entry is refused.
/// </summary>
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

    public T[] ReadArray<T>(string name, long expectedLength, bool allowNoScore = false) where T : unmanaged =>
        ZipEntries.ReadArray<T>(zip, prefix + name, expectedLength, allowNoScore);

    public T ReadJson<T>(string name) => ZipEntries.ReadJson<T>(zip, prefix + name);

    /// <summary>An entry kept whole, of at most <paramref name="maxBytes"/>.</summary>
    public byte[] ReadBytes(string name, long maxBytes)
    {
        var length = ZipEntries.Entry(zip, prefix + name).Length;
        if (length > maxBytes) throw new InvalidDataException($"{prefix + name} declares {length} bytes, more than the {maxBytes} it may.");
        return ZipEntries.ReadArray<byte>(zip, prefix + name, length);
    }

    /// <summary>The same zip read under <paramref name="folder"/> (ending in '/').</summary>
    public ModelEntryReader Under(string folder) => new(zip, Buyers, Products, Popularity, prefix + folder);

    /// <summary>Reads a CSR row-start array of <paramref name="rows"/> + 1 entries and checks it is ordered from 0.</summary>
    public int[] ReadRowStart(string name, int rows)
    {
        var rowStart = ReadArray<int>(name, rows + 1L);
        ZipEntries.ValidateRowStart(rowStart, name);
        return rowStart;
    }
}
