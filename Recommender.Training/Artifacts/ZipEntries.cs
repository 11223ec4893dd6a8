using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Recommender.Training.Artifacts;

/// <summary>
/// Reads and writes the entries of a model zip: JSON documents and raw little-endian arrays.
/// Every read checks the entry's declared size against what the caller expects and against
/// caps before allocating, reads no more than it declared, and checks that it held exactly that:
/// a hostile or broken file is an <see cref="InvalidDataException"/>, never a huge allocation.
/// </summary>
public static class ZipEntries
{
    /// <summary>
    /// The largest entry read: a .NET array of bytes holds no more, and an entry this size is
    /// already ~8 M buyers × 64 factors, beyond what one instance serves.
    /// </summary>
    public const long MaxEntryBytes = int.MaxValue;

    /// <summary>The largest JSON entry (id maps, manifest): about 15 M ids of 30 characters.</summary>
    public const long MaxJsonEntryBytes = 512L << 20;

    /// <summary>Deflate's own limit on how far it compresses; an entry declaring more is a lie.</summary>
    private const long MaxDeflateRatio = 1032;

    public static void ValidateRowStart(int[] rowStart, string name)
    {
        if (rowStart[0] != 0) throw new InvalidDataException($"{name} must start at 0.");
        for (var r = 1; r < rowStart.Length; r++)
            if (rowStart[r] < rowStart[r - 1]) throw new InvalidDataException($"{name} is out of order.");
    }

    public static void WriteJson<T>(ZipArchive zip, string name, T value)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        JsonSerializer.Serialize(stream, value, ModelArtifact.ManifestJson);
    }

    public static T ReadJson<T>(ZipArchive zip, string name)
    {
        var entry = Entry(zip, name);
        CheckDeclaredSize(entry, MaxJsonEntryBytes);
        using var stream = new DeclaredLengthStream(entry.Open(), entry.Length, name);
        var value = JsonSerializer.Deserialize<T>(stream, ModelArtifact.ManifestJson) ?? throw new InvalidDataException($"{name} is empty.");
        stream.CheckFullyRead();
        return value;
    }

    public static void WriteArray<T>(ZipArchive zip, string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(MemoryMarshal.AsBytes(values));
    }

    /// <param name="allowNoScore">
    /// For a log-score array, where −∞ means "no score" (a product nobody bought lately is not
    /// trending). Every other float (factors, weights, popularity, similarities) must be finite;
    /// NaN and +∞ are never valid: one would poison every score it touches.
    /// </param>
    public static T[] ReadArray<T>(ZipArchive zip, string name, long expectedLength, bool allowNoScore = false) where T : unmanaged
    {
        var entry = Entry(zip, name);
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (expectedLength < 0 || expectedLength > MaxEntryBytes / size)
            throw new InvalidDataException($"{name} would hold {expectedLength} values, more than a model entry may ({MaxEntryBytes} bytes).");
        if (entry.Length != expectedLength * size)
            throw new InvalidDataException($"{name} holds {entry.Length} bytes; expected {expectedLength * size}.");
        CheckDeclaredSize(entry, MaxEntryBytes);
        var values = new T[expectedLength];
        using (var stream = new DeclaredLengthStream(entry.Open(), entry.Length, name))
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            stream.CheckFullyRead();
        }
        if (typeof(T) == typeof(float) && !AllFinite((float[])(object)values, allowNoScore))
            throw new InvalidDataException($"{name} contains NaN or infinity.");
        return values;
    }

    private static bool AllFinite(float[] values, bool allowNoScore)
    {
        foreach (var value in values)
            if (!float.IsFinite(value) && !(allowNoScore && float.IsNegativeInfinity(value))) return false;
        return true;
    }

    /// <summary>The sizes the zip declares, checked before anything is allocated from them.</summary>
    private static void CheckDeclaredSize(ZipArchiveEntry entry, long cap)
    {
        if (entry.Length > cap)
            throw new InvalidDataException($"{entry.FullName} declares {entry.Length} bytes, more than a model entry may ({cap}).");
        if (entry.Length > Math.Max(entry.CompressedLength, 1) * MaxDeflateRatio)
            throw new InvalidDataException($"{entry.FullName} declares {entry.Length} bytes from {entry.CompressedLength} compressed, more than deflate can.");
    }

    public static ZipArchiveEntry Entry(ZipArchive zip, string name) =>
        zip.GetEntry(name) ?? throw new InvalidDataException($"The model zip has no {name}.");
}
