using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Recommender.Api.Demo;

namespace Recommender.Tests.Demo;

/// <summary>How the demo shop file comes to be: once, whole, and the same for the same seed.</summary>
public sealed class DemoShopFileTests : IDisposable
{
    private static readonly DemoShopOptions Small = new() { Buyers = 200, Products = 150, Sellers = 10, Until = DemoShopFixture.Until };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "demo-shop-file-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_same_seed_builds_an_identical_file()
    {
        var first = await CreateAsync("a/shop.db", Small);
        var second = await CreateAsync("b/shop.db", Small);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
    }

    [Fact]
    public async Task Another_seed_builds_another_shop()
    {
        var first = await CreateAsync("a/shop.db", Small);
        var second = await CreateAsync("b/shop.db", new DemoShopOptions { Buyers = 200, Products = 150, Sellers = 10, Until = DemoShopFixture.Until, Seed = 7 });
        Assert.NotEqual(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
    }

    [Fact]
    public async Task An_existing_file_is_left_alone()
    {
        var path = Path.Combine(_directory, "shop.db");
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(path, "not a shop, but not ours to replace");

        var returned = await DemoShop.EnsureCreatedAsync(path, 42, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(path, returned);
        Assert.Equal("not a shop, but not ours to replace", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task The_directory_is_created_and_no_temporary_files_are_left_behind()
    {
        var path = await CreateAsync("nested/deeper/shop.db", Small);
        Assert.Equal([path], Directory.GetFiles(_directory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_cancelled_creation_leaves_no_file_behind()
    {
        var path = Path.Combine(_directory, "shop.db");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DemoShop.EnsureCreatedAsync(path, Small, NullLogger.Instance, new CancellationToken(canceled: true)));
        Assert.Empty(Directory.GetFiles(_directory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_default_overload_builds_a_full_size_shop()
    {
        // How long it takes (about a second on two cores) is logged at start-up, not asserted here.
        var path = await DemoShop.EnsureCreatedAsync(Path.Combine(_directory, "shop.db"), 42, NullLogger.Instance, CancellationToken.None);
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """SELECT COUNT(*) FROM "Product" """;
        Assert.Equal(1500L, command.ExecuteScalar());
    }

    [Fact]
    public async Task Options_too_small_for_the_showcase_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            CreateAsync("shop.db", new DemoShopOptions { Buyers = 2 }));
        Assert.False(Directory.Exists(_directory) && Directory.EnumerateFileSystemEntries(_directory).Any());
    }

    private Task<string> CreateAsync(string relativePath, DemoShopOptions options) =>
        DemoShop.EnsureCreatedAsync(Path.Combine(_directory, relativePath), options, NullLogger.Instance, CancellationToken.None);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
