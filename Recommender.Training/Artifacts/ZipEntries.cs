using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Recommender.Training.Artifacts;

/// <summary>
/// Reads and writes the entries of a model zip: JSON documents and raw little-endian arrays.
/// Every read checks the entry's size against what the caller expects before allocating.
/// </summary>
public static class ZipEntries
{
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
        using var stream = Entry(zip, name).Open();
        return JsonSerializer.Deserialize<T>(stream, ModelArtifact.ManifestJson) ?? throw new InvalidDataException($"{name} is empty.");
    }

    public static void WriteArray<T>(ZipArchive zip, string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(MemoryMarshal.AsBytes(values));
    }

    public static T[] ReadArray<T>(ZipArchive zip, string name, long expectedLength) where T : unmanaged
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

    public static ZipArchiveEntry Entry(ZipArchive zip, string name) =>
        zip.GetEntry(name) ?? throw new InvalidDataException($"The model zip has no {name}.");
}
