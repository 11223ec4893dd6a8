using System.Text;
using System.Text.Json;
using Recommender.Training.Data;

namespace Recommender.Api.Catalog;

/// <summary>
/// The product rows last read from the shop, saved beside the models so that a restart while the
/// database is down can still serve: <c>products.snapshot.json</c>, written under a temporary name
/// and renamed (a reader never sees half a file), and read only when the database cannot be.
/// </summary>
public sealed class CatalogSnapshot(string directory)
{
    public const string FileName = "products.snapshot.json";

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetFullPath(directory), FileName);

    /// <summary>Replaces the snapshot with these rows; throws <see cref="IOException"/> with the old snapshot intact.</summary>
    public void Write(ProductCatalog catalog)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(folder);
        var temporary = System.IO.Path.Combine(folder, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteString("loadedAt", catalog.LoadedAt);
                writer.WriteStartArray("products");
                foreach (var row in catalog.ById.Values)
                    writer.WriteRawValue(row.Json, skipInputValidation: true);
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            try { File.Delete(temporary); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The saved rows, or null when there is no snapshot; throws <see cref="InvalidDataException"/> for a damaged one.</summary>
    public ProductCatalog? Read()
    {
        if (!File.Exists(Path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path));
            var root = document.RootElement;
            var byId = new Dictionary<string, ProductRow>(StringComparer.Ordinal);
            foreach (var element in root.GetProperty("products").EnumerateArray())
            {
                var row = ProductRow.FromJson(Encoding.UTF8.GetBytes(element.GetRawText()));
                byId[row.Id] = row;
            }
            return new ProductCatalog(byId, root.GetProperty("loadedAt").GetDateTimeOffset());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"The product snapshot {Path} is damaged: {e.Message}", e);
        }
    }
}
