using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recommender.Api.Demo;

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
        Assert.Equal("personalized", body["source"]!.GetValue<string>());
        Assert.Equal(10, products.Count);

        // The buyer's tastes show: most picks come from the buyer's two favourite categories.
        var fromFavourites = products.Count(p => showcase.CategoryIds.Contains(p!["categoryId"]!.GetValue<string>()));
        Assert.True(fromFavourites >= 7, $"only {fromFavourites} of 10 picks are from {string.Join(", ", showcase.CategoryIds)}");
    }
}
