using Npgsql;
using Recommender.Training.Data;

namespace Recommender.Tests.Data;

public sealed class ShopConnectionStringTests
{
    [Theory]
    [InlineData("postgresql://shop:secret@db.example.com:6543/shopdb")]
    [InlineData("postgres://shop:secret@db.example.com:6543/shopdb")]
    [InlineData("POSTGRESQL://shop:secret@db.example.com:6543/shopdb")]
    public void A_url_gives_host_port_user_password_and_database(string url)
    {
        var builder = Parse(url);

        Assert.Equal(("db.example.com", 6543, "shop", "secret", "shopdb"),
            (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database));
    }

    [Fact]
    public void Escaped_characters_in_user_password_and_database_are_unescaped()
    {
        var builder = Parse("postgresql://shop%40admin:p%40ss%3Aw%2Frd%23%3F%25@db:5432/my%20shop");

        Assert.Equal(("shop@admin", "p@ss:w/rd#?%", "my shop"), (builder.Username, builder.Password, builder.Database));
    }

    [Fact]
    public void A_url_without_a_port_uses_postgres_default_port()
    {
        Assert.Equal(5432, Parse("postgresql://shop:secret@db/shopdb").Port);
    }

    [Fact]
    public void A_url_with_a_user_and_no_password_sets_no_password()
    {
        var builder = Parse("postgresql://shop@db/shopdb");

        Assert.Equal(("shop", null), (builder.Username, builder.Password));
    }

    [Fact]
    public void Prisma_schema_parameter_becomes_the_search_path()
    {
        Assert.Equal("shop", Parse("postgresql://u:p@db/shopdb?schema=shop").SearchPath);
    }

    [Fact]
    public void A_url_without_a_schema_parameter_leaves_the_search_path_alone()
    {
        Assert.Null(Parse("postgresql://u:p@db/shopdb").SearchPath);
    }

    [Theory]
    [InlineData("require", SslMode.Require)]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    public void The_sslmode_parameter_sets_the_ssl_mode(string sslmode, SslMode expected)
    {
        Assert.Equal(expected, Parse($"postgresql://u:p@db/shopdb?sslmode={sslmode}").SslMode);
    }

    [Fact]
    public void Several_query_parameters_are_all_applied_and_prisma_only_ones_ignored()
    {
        var builder = Parse("postgresql://u:p@db/shopdb?schema=shop&sslmode=require&connection_limit=5&connect_timeout=7&application_name=recommender");

        Assert.Equal(("shop", SslMode.Require, 7, "recommender"), (builder.SearchPath, builder.SslMode, builder.Timeout, builder.ApplicationName));
    }

    [Fact]
    public void Surrounding_quotes_and_whitespace_from_an_env_file_are_ignored()
    {
        Assert.Equal("db", Parse("  \"postgresql://u:p@db/shopdb\"  ").Host);
    }

    [Fact]
    public void An_npgsql_key_value_string_passes_through()
    {
        var builder = Parse("Host=db.example.com;Port=6543;Username=shop;Password=secret;Database=shopdb;Search Path=shop;Maximum Pool Size=7");

        Assert.Equal(("db.example.com", 6543, "shop", "secret", "shopdb", "shop", 7),
            (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database, builder.SearchPath, builder.MaxPoolSize));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a connection string")]
    [InlineData("Host=db;NoSuchKeyword=1")]
    [InlineData("postgresql://")]
    [InlineData("postgresql:///shopdb")]
    [InlineData("postgresql://u:p@db/shopdb?sslmode=sometimes")]
    [InlineData("postgresql://u:p@db/shopdb?connect_timeout=soon")]
    public void Invalid_input_is_rejected_with_a_format_or_argument_exception(string input)
    {
        var error = Record.Exception(() => ShopConnectionString.ToNpgsql(input));

        Assert.True(error is FormatException or ArgumentException, $"expected FormatException or ArgumentException, got {error?.GetType().Name ?? "none"}");
    }

    private static NpgsqlConnectionStringBuilder Parse(string databaseUrl) => new(ShopConnectionString.ToNpgsql(databaseUrl));
}
