using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Recommender.Api.Demo;
using Recommender.Training.Data;

namespace Recommender.Tests.Demo;

/// <summary>One default-sized demo shop, created once for the tests that only read it.</summary>
public sealed class DemoShopFixture : IAsyncLifetime
{
    public static readonly DateTime Until = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "demo-shop-tests-" + Guid.NewGuid().ToString("N"));

    public string Path { get; private set; } = "";
    public DemoShopOptions Options { get; } = new() { Until = Until };
    public List<ProductRow> Products { get; } = [];

    /// <summary>Every interaction, cancelled orders included.</summary>
    public List<ShopInteraction> Interactions { get; } = [];

    public static readonly string[] AllOrderStatuses = ["PENDING", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED"];

    public async Task InitializeAsync()
    {
        Path = await DemoShop.EnsureCreatedAsync(System.IO.Path.Combine(_directory, "shop.db"), Options, NullLogger.Instance, CancellationToken.None);
        var database = new SqliteShopDatabase(Path);
        await foreach (var product in database.ReadProductsAsync(CancellationToken.None))
            Products.Add(product);
        await foreach (var interaction in database.ReadInteractionsAsync(AllOrderStatuses, CancellationToken.None))
            Interactions.Add(interaction);
    }

    /// <summary>Runs a scalar query against the shop, read-only.</summary>
    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
