using System.Text.Json;
using System.Text.Json.Serialization;
using Recommender.Training.Artifacts;

namespace Recommender.Api.Dashboard;

/// <summary>
/// The last <see cref="Capacity"/> published models, for the dashboard's quality chart: each
/// model's manifest as it was published (version, algorithm, holdout metrics, training time).
/// The models directory keeps only <c>KeepModels</c> zips, so every model seen there is also
/// recorded in <c>training-history.json</c> beside them (rewritten atomically, oldest dropped
/// first), and the chart reaches further back than the zips do. The directory is read once, at
/// start-up (<see cref="Refresh"/>: only each zip's manifest entry); after that each model is
/// recorded as it comes to serve (<see cref="Record"/>), from the manifest already in memory.
/// A missing or damaged file starts an empty history: it is a convenience, never a reason not
/// to serve.
/// </summary>
public sealed partial class TrainingHistory
{
    public const string FileName = "training-history.json";
    public const int Capacity = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly ModelStore _store;
    private readonly ILogger<TrainingHistory> _logger;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _unreadable = new(StringComparer.Ordinal);
    private SortedDictionary<long, TrainingRecord>? _records;

    public TrainingHistory(ModelStore store, ILogger<TrainingHistory> logger)
    {
        _store = store;
        _logger = logger;
        Path = System.IO.Path.Combine(store.Directory, FileName);
    }

    public string Path { get; }

    /// <summary>The recorded trainings, oldest first.</summary>
    public IReadOnlyList<TrainingRecord> Records
    {
        get
        {
            lock (_lock)
                return [.. Loaded().Values];
        }
    }

    /// <summary>
    /// Records every model in the models directory not recorded yet (and <paramref name="serving"/>,
    /// the manifest of the model in memory, which a replica may serve without a zip); writes the file
    /// when something was added. Returns how many were added.
    /// </summary>
    public int Refresh(ModelManifest? serving = null)
    {
        lock (_lock)
        {
            var records = Loaded();
            var added = 0;
            if (serving is not null && records.TryAdd(serving.Version, TrainingRecord.From(serving)))
                added++;
            foreach (var (version, path) in ListModels())
            {
                if (records.ContainsKey(version) || _unreadable.Contains(path)) continue;
                if (ReadManifest(path) is not { } manifest) continue;
                records[version] = TrainingRecord.From(manifest);
                added++;
            }
            if (added == 0) return 0;
            Trim(records);
            TryWrite(records.Values);
            return added;
        }
    }

    /// <summary>Records one model (the one now serving), without reading the directory; false when it was recorded already.</summary>
    public bool Record(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        lock (_lock)
        {
            var records = Loaded();
            if (!records.TryAdd(manifest.Version, TrainingRecord.From(manifest))) return false;
            Trim(records);
            TryWrite(records.Values);
            return true;
        }
    }

    private static void Trim(SortedDictionary<long, TrainingRecord> records)
    {
        while (records.Count > Capacity)
            records.Remove(records.Keys.First());
    }

    private IReadOnlyList<(long Version, string Path)> ListModels()
    {
        try { return _store.List(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];                                      // the model reloader logs an unreadable directory
        }
    }

    private SortedDictionary<long, TrainingRecord> Loaded()
    {
        if (_records is not null) return _records;
        _records = [];
        try
        {
            if (File.Exists(Path))
                foreach (var record in JsonSerializer.Deserialize<TrainingRecord[]>(File.ReadAllBytes(Path), Json) ?? [])
                    _records[record.Version] = record;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            LogUnreadable(Path, e.Message);
        }
        return _records;
    }

    private ModelManifest? ReadManifest(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096);
            return ModelArtifact.ReadManifest(stream);
        }
        catch (FileNotFoundException)
        {
            return null;                                    // pruned since it was listed
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            _unreadable.Add(path);                          // logged once, not on every refresh
            LogUnreadable(path, e.Message);
            return null;
        }
    }

    /// <summary>Writes under a temporary name and renames, so a reader never sees half a file.</summary>
    private void TryWrite(IEnumerable<TrainingRecord> records)
    {
        var temporary = System.IO.Path.Combine(_store.Directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(_store.Directory);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, records.ToArray(), Json);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogNotWritten(Path, e.Message);                 // the history in memory still serves
        }
        finally
        {
            try { File.Delete(temporary); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Training history: {Path} could not be read and is left out: {Reason}")]
    private partial void LogUnreadable(string path, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Training history: {Path} could not be written: {Reason}")]
    private partial void LogNotWritten(string path, string reason);
}

/// <summary>One published model as the dashboard charts it; <c>Metrics</c> holds the manifest's holdout metrics.</summary>
public sealed record TrainingRecord(
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("trained_at")] DateTimeOffset TrainedAt,
    [property: JsonPropertyName("training_seconds")] double TrainingSeconds,
    [property: JsonPropertyName("interactions")] int Interactions,
    [property: JsonPropertyName("buyers")] int Buyers,
    [property: JsonPropertyName("products")] int Products,
    [property: JsonPropertyName("fallback_reason")] string? FallbackReason,
    [property: JsonPropertyName("metrics")] IReadOnlyDictionary<string, double> Metrics)
{
    public static TrainingRecord From(ModelManifest manifest) => new(
        manifest.Version, manifest.Algorithm, manifest.TrainedAt, manifest.TrainingSeconds,
        manifest.Interactions, manifest.Buyers, manifest.Products, manifest.FallbackReason,
        new Dictionary<string, double>(manifest.Metrics, StringComparer.Ordinal));
}
