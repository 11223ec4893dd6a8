using System.Globalization;
using System.Text.RegularExpressions;

namespace Recommender.Training.Artifacts;

/// <summary>
/// The models directory: <c>model-00000042.zip</c> per version. A model is written under a
/// temporary name and renamed when complete, so a reader never sees half a file; the newest
/// <see cref="Keep"/> versions are kept.
/// </summary>
public sealed partial class ModelStore
{
    private readonly Func<string, Stream> _createFile;

    /// <param name="directory">The models directory; created on the first publish.</param>
    /// <param name="keep">How many versions to keep.</param>
    /// <param name="createFile">
    /// Creates the temporary file a model is written to. Tests pass a stream that fails the way a
    /// full disk does; everything else leaves the default, a new <see cref="FileStream"/>.
    /// </param>
    public ModelStore(string directory, int keep, Func<string, Stream>? createFile = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        Directory = Path.GetFullPath(directory);
        Keep = keep;
        _createFile = createFile ?? (path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16));
    }

    public string Directory { get; }
    public int Keep { get; }

    public static string FileNameOf(long version) => $"model-{version.ToString("D8", CultureInfo.InvariantCulture)}.zip";

    /// <summary>The published versions, newest first. Temporary files are not listed.</summary>
    public IReadOnlyList<(long Version, string Path)> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var found = new List<(long, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "model-*.zip"))
        {
            var match = ModelFileName().Match(Path.GetFileName(path));
            if (match.Success && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                found.Add((version, path));
        }
        found.Sort((a, b) => b.Item1.CompareTo(a.Item1));
        return found;
    }

    public long NextVersion(long atLeast = 1)
    {
        var newest = List() is [var first, ..] ? first.Version : 0;
        return Math.Max(newest + 1, atLeast);
    }

    public static RecommenderModel Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
        return ModelArtifact.Read(stream);
    }

    /// <summary>
    /// Writes the model as its version's file, atomically, then prunes old versions. A failure
    /// (a full or read-only disk, a cancellation) throws with nothing published and the
    /// temporary file removed.
    /// </summary>
    public string Publish(RecommenderModel model, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, FileNameOf(model.Version));
        var temporary = Path.Combine(Directory, $".{FileNameOf(model.Version)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = _createFile(temporary))
            {
                ModelArtifact.Write(model, stream);
                cancellationToken.ThrowIfCancellationRequested();
                if (stream is FileStream file) file.Flush(flushToDisk: true);
                else stream.Flush();
            }
            // No overwrite: two writers racing for one version must not replace each other's file.
            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            // Deleting can fail too (the disk went read-only); that must not hide why the write failed.
            if (File.Exists(temporary)) TryDelete(temporary);
        }
        Prune();
        return path;
    }

    /// <summary>
    /// A fresh temporary file name in the models directory (created if missing) for a zip written
    /// or downloaded elsewhere; <see cref="Prune"/> removes it if it is left behind.
    /// </summary>
    public string NewTemporaryPath(long version)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, $".{FileNameOf(version)}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>
    /// Publishes a complete zip from <see cref="NewTemporaryPath"/> as its version's file by
    /// renaming it (never over an existing one), then prunes; returns false if the version was
    /// already there, and the temporary file is then the caller's to delete.
    /// </summary>
    public bool PublishFile(string temporaryPath, long version)
    {
        try
        {
            File.Move(temporaryPath, Path.Combine(Directory, FileNameOf(version)), overwrite: false);
        }
        catch (IOException) when (File.Exists(Path.Combine(Directory, FileNameOf(version))))
        {
            return false;
        }
        Prune();
        return true;
    }

    /// <summary>Deletes all but the newest <see cref="Keep"/> versions, and stale temporary files.</summary>
    public void Prune()
    {
        foreach (var (_, path) in List().Skip(Keep))
            TryDelete(path);
        foreach (var stale in System.IO.Directory.EnumerateFiles(Directory, ".model-*.tmp"))
            if (File.GetLastWriteTimeUtc(stale) < DateTime.UtcNow.AddHours(-1))
                TryDelete(stale);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }                       // in use by a reader on some platforms; next prune retries
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"^model-(\d{1,18})\.zip$")]
    private static partial Regex ModelFileName();
}
