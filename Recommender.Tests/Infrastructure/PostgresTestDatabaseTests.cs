using Npgsql;

namespace Recommender.Tests.Infrastructure;

public sealed class PostgresTestDatabaseTests
{
    [PostgresFact]
    public async Task Each_test_database_has_its_own_schema_with_the_shop_tables_and_enums()
    {
        await using var first = await PostgresTestDatabase.CreateAsync();
        await using var second = await PostgresTestDatabase.CreateAsync();
        await first.InsertProductAsync("only-in-first");

        Assert.NotEqual(first.Schema, second.Schema);
        Assert.Equal(1L, await first.QuerySingleAsync<long>("""SELECT count(*) FROM "Product" """));
        Assert.Equal(0L, await second.QuerySingleAsync<long>("""SELECT count(*) FROM "Product" """));
        Assert.Equal(3L, await first.QuerySingleAsync<long>(
            "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = @schema AND t.typtype = 'e'",
            new { schema = first.Schema }));
    }

    [PostgresFact]
    public async Task The_connection_string_reaches_the_same_schema_as_the_data_source()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        await shop.InsertProductAsync("p1");

        await using var connection = new NpgsqlConnection(shop.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "id" FROM "Product" """, connection);

        Assert.Equal("p1", await command.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task Disposing_drops_the_schema()
    {
        var shop = await PostgresTestDatabase.CreateAsync();
        var schema = shop.Schema;
        await shop.DisposeAsync();

        await using var other = await PostgresTestDatabase.CreateAsync();
        Assert.False(await other.QuerySingleAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", new { schema }));
    }
}
