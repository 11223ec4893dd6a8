using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recommender.Api.Catalog;
using Recommender.Tests.Infrastructure;
using Recommender.Api.Demo;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>`dotnet run --project Recommender.Api` with nothing configured: the demo shop is created, trained on, and answers.</summary>
public sealed class DemoShopServiceTests : IDisposable
{
    private readonly RecommenderApiFactory _factory = new(trainOnSchedule: true, inMemoryShop: false);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task With_no_database_configured_the_demo_shop_is_created_trained_on_and_answers()
    {
        var client = await _factory.CreateReadyClientAsync(TimeSpan.FromSeconds(90));

        Assert.True(File.Exists(Path.Combine(_factory.ModelsDirectory, "demo", "shop.db")));
        Assert.Single(Directory.GetFiles(_factory.ModelsDirectory, "model-*.zip"));

        var showcase = DemoShop.ShowcaseBuyers[0];
        var body = (await client.GetFromJsonAsync<JsonObject>($"/recommendations/{showcase.Id}?top_k=10"))!;
        var products = body["recommended_products"]!.AsArray();
        // The last place may go to a listing nobody has touched yet, like the buyer's last products.
        Assert.Matches("^personalized(\\+content)?$", body["source"]!.GetValue<string>());
        Assert.Equal(10, products.Count);

        // The buyer's tastes show: most picks come from the buyer's two favourite categories.
        var fromFavourites = products.Count(p => showcase.CategoryIds.Contains(p!["categoryId"]!.GetValue<string>()));
        Assert.True(fromFavourites >= 7, $"only {fromFavourites} of 10 picks are from {string.Join(", ", showcase.CategoryIds)}");
    }

    [Fact]
    public async Task A_new_listing_like_a_buyers_last_products_is_in_their_list_and_in_similar_once_the_catalogue_is_read()
    {
        var client = await _factory.CreateReadyClientAsync(TimeSpan.FromSeconds(90));
        var buyer = DemoShop.ShowcaseBuyers[0].Id;
        // The product a content pick is explained by is one of the buyer's last: the new listing copies it.
        var before = (await client.GetFromJsonAsync<JsonObject>($"/recommendations/{buyer}?top_k=10&explain=true"))!;
        var anchor = before["explanations"]!.AsArray().Last()!["because"]!.AsArray().Select(b => b!["product_id"]!.GetValue<string>())
            .DefaultIfEmpty(before["recommended_products"]![0]!["id"]!.GetValue<string>()).Last();

        using (var shop = new SqliteConnection($"Data Source={Path.Combine(_factory.ModelsDirectory, "demo", "shop.db")};Pooling=False"))
        {
            shop.Open();
            using var insert = shop.CreateCommand();
            insert.CommandText = """
                CREATE TEMP TABLE listing AS SELECT * FROM "Product" WHERE "id" = $anchor;
                UPDATE listing SET "id" = 'new-listing', "name" = 'New listing', "createdAt" = strftime('%Y-%m-%dT%H:%M:%f', 'now');
                INSERT INTO "Product" SELECT * FROM listing;
                """;
            insert.Parameters.AddWithValue("$anchor", anchor);
            insert.ExecuteNonQuery();
        }
        // What the next ProductRefreshSeconds tick does: the catalogue is read again.
        await _factory.Services.GetServices<IHostedService>().OfType<ProductCatalogRefresher>().Single().RefreshAsync(CancellationToken.None);

        var similar = await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<JsonObject>($"/products/{anchor}/similar?top_k=10")!,
            body => body!["similar_products"]!.AsArray().Any(p => p!["id"]!.GetValue<string>() == "new-listing"), "the new listing in similar");
        Assert.EndsWith("content", similar!["source"]!.GetValue<string>());
        var after = (await client.GetFromJsonAsync<JsonObject>($"/recommendations/{buyer}?top_k=10"))!;
        Assert.Contains("new-listing", after["recommended_products"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.EndsWith("content", after["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_learned_ranker_trains_on_the_demo_shop_with_what_the_catalogue_says_of_each_product()
    {
        _factory.Settings["Recommender:Training:Algorithm"] = "ranked";
        var client = await _factory.CreateReadyClientAsync(TimeSpan.FromSeconds(90));

        using var zip = File.OpenRead(Assert.Single(Directory.GetFiles(_factory.ModelsDirectory, "model-*.zip")));
        var manifest = ModelArtifact.ReadManifest(zip);
        Assert.Equal("ranked", manifest.Algorithm);
        Assert.Null(manifest.FallbackReason);
        var report = JsonNode.Parse(manifest.Report!.Value.GetRawText())!;
        var features = report["features"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        var importance = report["importance"]!.AsArray().Select(i => i!.GetValue<double>()).ToList();
        // The demo catalogue has categories, sellers and prices: the trees split on them.
        var content = new[] { "category_share", "seller_share", "same_category_as_last", "price_to_usual", "category_rank" };
        Assert.True(content.Sum(name => importance[features.IndexOf(name)]) > 0, "no content feature is used");
        Assert.True(report["checkNdcg10"]!.AsObject().ContainsKey("category"));

        var body = (await client.GetFromJsonAsync<JsonObject>($"/recommendations/{DemoShop.ShowcaseBuyers[0].Id}?top_k=10"))!;
        Assert.Equal(10, body["recommended_products"]!.AsArray().Count);
        Assert.StartsWith("ranked", body["source"]!.GetValue<string>());
    }
}
