using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recommender.Tests.Fakes;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>
/// explain=true on every list, through the real pipeline on a hand-made item-to-item model:
/// p1's neighbours are p2 (0.9), p3 (0.8), p4 (0.5); p5's are p6 (0.7), p7 (0.6); trending p8 first.
/// </summary>
public sealed class ExplanationsApiTests : IDisposable
{
    private static readonly string[] Products = [.. Enumerable.Range(1, 10).Select(i => $"p{i}")];
    private readonly RecommenderApiFactory _factory = new();

    public ExplanationsApiTests()
    {
        foreach (var id in Products) _factory.Shop.AddProduct(id);
    }

    public void Dispose() => _factory.Dispose();

    private async Task<HttpClient> ServeAsync()
    {
        var model = TestModels.ItemBased(1, Products,
            [("p1", "p2", 0.9f), ("p1", "p3", 0.8f), ("p1", "p4", 0.5f), ("p5", "p6", 0.7f), ("p5", "p7", 0.6f)],
            new() { ["regular"] = ["p1", "p5", "p1"] },
            trending: [1, 2, 3, 4, 5, 6, 7, 8, float.NegativeInfinity, float.NegativeInfinity],
            popularity: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        new ModelStore(_factory.ModelsDirectory, keep: 5).Publish(model);
        return await _factory.CreateReadyClientAsync();
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static (string Product, (string Product, float Share)[] Because)[] Explanations(JsonObject body) =>
        [.. body["explanations"]!.AsArray().Select(e => (
            e!["product_id"]!.GetValue<string>(),
            e["because"]!.AsArray().Select(b => (b!["product_id"]!.GetValue<string>(), b["share"]!.GetValue<float>())).ToArray()))];

    [Fact]
    public async Task A_personalized_list_names_the_history_products_behind_each_pick_and_none_behind_trending_ones()
    {
        var client = await ServeAsync();

        var body = await GetAsync(client, "/recommendations/regular?top_k=6&explain=true");

        var ids = body["recommended_products"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToArray();
        var explanations = Explanations(body);
        Assert.Equal(["p2", "p3", "p4", "p6", "p7", "p8"], ids);
        Assert.Equal(ids, explanations.Select(e => e.Product));
        Assert.Equal([("p1", 1f)], explanations[0].Because);
        Assert.Equal([("p5", 1f)], explanations[3].Because);
        Assert.Empty(explanations[5].Because);
        Assert.Equal("personalized+trending", body["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Similar_products_are_explained_by_the_product_asked_about()
    {
        var client = await ServeAsync();

        var body = await GetAsync(client, "/products/p1/similar?top_k=2&explain=true");

        Assert.All(Explanations(body), e => Assert.Equal([("p1", 1f)], e.Because));
    }

    [Fact]
    public async Task Without_explain_the_answer_has_no_explanations_and_a_bad_value_is_a_400()
    {
        var client = await ServeAsync();

        var plain = await GetAsync(client, "/products/trending?top_k=2");
        var bad = await client.GetAsync("/recommendations/regular?explain=maybe");

        Assert.False(plain.ContainsKey("explanations"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("explain", await bad.Content.ReadAsStringAsync());
    }
}
