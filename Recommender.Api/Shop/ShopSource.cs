using Npgsql;
using Recommender.Training.Data;

namespace Recommender.Api.Shop;

/// <summary>
/// Which shop the service reads: the PostgreSQL named by <c>DATABASE_URL</c> (a
/// <c>postgresql://</c> URL as Prisma uses, or an Npgsql connection string) or by
/// <c>ConnectionStrings:Shop</c>; with neither, the embedded SQLite demo shop.
/// </summary>
public sealed record ShopSource(string? NpgsqlConnectionString, string DemoShopPath)
{
    public bool IsDemo => NpgsqlConnectionString is null;

    public static ShopSource FromConfiguration(IConfiguration configuration, string demoShopPath)
    {
        var configured = configuration["DATABASE_URL"] is { Length: > 0 } url ? url : configuration.GetConnectionString("Shop");
        return new ShopSource(
            string.IsNullOrWhiteSpace(configured) ? null : ShopConnectionString.ToNpgsql(configured),
            Path.GetFullPath(demoShopPath));
    }

    public IShopDatabase CreateDatabase() => IsDemo
        ? new SqliteShopDatabase(DemoShopPath)
        : new PostgresShopDatabase(new NpgsqlDataSourceBuilder(NpgsqlConnectionString).Build());

    /// <summary>For logs: where the shop is, without the password.</summary>
    public string Describe()
    {
        if (IsDemo) return $"SQLite demo shop at {DemoShopPath}";
        var builder = new NpgsqlConnectionStringBuilder(NpgsqlConnectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }
}
