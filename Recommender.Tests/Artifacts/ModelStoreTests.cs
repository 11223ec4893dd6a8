using Recommender.Tests.Fakes;
using Recommender.Training.Algorithms.Als;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Artifacts;

public sealed class ModelStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("recommender-store-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static RecommenderModel Model(long version) =>
        TestModels.WithScores(version, ["alice", "bob"], ["p1", "p2", "p3"], [0.5f, -1f, 2f],
            new() { ["bob"] = ["p3", "p1"] }, popularity: [3f, 1f, 2f]);

    [Fact]
    public void A_published_model_loads_back_identical()
    {
        var store = new ModelStore(_directory, keep: 3);
        var model = Model(7);

        var path = store.Publish(model);
        var loaded = ModelStore.Load(path);

        Assert.Equal("model-00000007.zip", Path.GetFileName(path));
        Assert.Equal(model.Manifest.Version, loaded.Manifest.Version);
        Assert.Equal(model.Manifest.Algorithm, loaded.Manifest.Algorithm);
        Assert.Equal(model.Buyers.Ids, loaded.Buyers.Ids);
        Assert.Equal(model.Products.Ids, loaded.Products.Ids);
        var factors = Assert.IsType<AlsModel>(model.Fitted);
        var loadedFactors = Assert.IsType<AlsModel>(loaded.Fitted);
        Assert.Equal(factors.Buyers.Data, loadedFactors.Buyers.Data);
        Assert.Equal(factors.ProductFactors.Data, loadedFactors.ProductFactors.Data);
        Assert.Equal(model.Histories.RowStart, loaded.Histories.RowStart);
        Assert.Equal(model.Histories.ItemIndices, loaded.Histories.ItemIndices);
        Assert.Equal(model.Histories.Ticks, loaded.Histories.Ticks);
        Assert.Equal(model.Histories.Weights, loaded.Histories.Weights);
        Assert.Equal(model.Popularity, loaded.Popularity);
        Assert.Equal(model.Trending, loaded.Trending);
    }

    [Fact]
    public void Only_the_newest_versions_are_kept_and_no_temporary_file_remains()
    {
        var store = new ModelStore(_directory, keep: 2);

        for (var version = 1; version <= 4; version++)
            store.Publish(Model(version));

        Assert.Equal([4L, 3L], store.List().Select(m => m.Version));
        Assert.Equal(5, store.NextVersion());
        Assert.Equal(["model-00000003.zip", "model-00000004.zip"],
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_version_is_never_published_twice()
    {
        var store = new ModelStore(_directory, keep: 5);
        store.Publish(Model(1));

        Assert.Throws<IOException>(() => store.Publish(Model(1)));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_truncated_zip_is_rejected_as_invalid_data()
    {
        var buffer = new MemoryStream();
        ModelArtifact.Write(Model(1), buffer);
        var bytes = buffer.ToArray();

        for (var length = 0; length < bytes.Length; length += Math.Max(1, bytes.Length / 40))
        {
            var truncated = new MemoryStream(bytes[..length]);
            Assert.Throws<InvalidDataException>(() => ModelArtifact.Read(truncated));
        }
    }

    [Fact]
    public void Files_that_are_not_model_versions_are_ignored()
    {
        File.WriteAllText(Path.Combine(_directory, "model-latest.zip"), "");
        File.WriteAllText(Path.Combine(_directory, ".model-00000009.zip.1234.tmp"), "");
        var store = new ModelStore(_directory, keep: 5);

        Assert.Empty(store.List());
        Assert.Equal(1, store.NextVersion());
    }

    [Fact]
    public void A_full_disk_fails_the_publish_with_nothing_published_and_no_temporary_file_left()
    {
        var disk = new FullDisk { IsFull = true, FreeBytes = 200 };
        var store = new ModelStore(_directory, keep: 5, disk.Create);
        new ModelStore(_directory, keep: 5).Publish(Model(1));

        var error = Assert.Throws<IOException>(() => store.Publish(Model(2)));

        Assert.Contains("No space left", error.Message);
        Assert.Equal([1L], store.List().Select(m => m.Version));
        Assert.Equal(["model-00000001.zip"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_cancelled_publish_leaves_nothing_behind()
    {
        var store = new ModelStore(_directory, keep: 5);

        Assert.ThrowsAny<OperationCanceledException>(() => store.Publish(Model(1), new CancellationToken(canceled: true)));

        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_models_directory_that_cannot_exist_fails_the_publish_cleanly()
    {
        // Its parent is a regular file: the directory can be neither created nor written, even by root.
        var blocker = Path.Combine(_directory, "not-a-directory");
        File.WriteAllText(blocker, "");
        var store = new ModelStore(Path.Combine(blocker, "models"), keep: 5);

        Assert.ThrowsAny<IOException>(() => store.Publish(Model(1)));
        Assert.Empty(store.List());
    }
}
