using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recommender.Tests.Fakes;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>
/// Similar products, trending products, cold start and filters, through the real pipeline on a
/// hand-made item-to-item model: p1's neighbours are p2 (0.9), p3 (0.8), p4 (0.5); p5's are
/// p6 (0.7), p7 (0.6). Trending: p8 > p7 > p6 > … ; popularity: p1 > p2 > … .
/// </summary>
public sealed class ProductListsTests : IDisposable
{
    private static readonly string[] Products = Enumerable.Range(1, 10).Select(i => $"p{i}").ToArray();
    private readonly RecommenderApiFactory _factory = new();

    public ProductListsTests()
    {
        for (var i = 1; i <= 10; i++)
        {
            var n = i;
            _factory.Shop.AddProduct($"p{n}", p =>
            {
                p["categoryId"] = n % 2 == 0 ? "cat-even" : "cat-odd";
                p["sellerId"] = n <= 5 ? "seller-a" : "seller-b";
                p["price"] = n * 10.0;
            });
        }
    }

    public void Dispose() => _factory.Dispose();

    private static RecommenderModel Model() => TestModels.ItemBased(1, Products,
        [("p1", "p2", 0.9f), ("p1", "p3", 0.8f), ("p1", "p4", 0.5f), ("p5", "p6", 0.7f), ("p5", "p7", 0.6f),
         ("p2", "p9", 0.4f)],
        new()
        {
            ["one-item"] = ["p1"],
            ["regular"] = ["p1", "p5", "p1"],
        },
        trending: [1, 2, 3, 4, 5, 6, 7, 8, float.NegativeInfinity, float.NegativeInfinity],
        popularity: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);

    private async Task<HttpClient> ServeAsync()
    {
        new ModelStore(_factory.ModelsDirectory, keep: 5).Publish(Model());
        return await _factory.CreateReadyClientAsync();
    }

    private static async Task<(JsonObject Body, string[] Ids)> GetAsync(HttpClient client, string url, string listName)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body, body[listName]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToArray());
    }

    private static string Source(JsonObject body) => body["source"]!.GetValue<string>();

    [Fact]
    public async Task Similar_products_follow_the_similarity_and_leave_out_the_product_itself()
    {
        var client = await ServeAsync();

        var (body, ids) = await GetAsync(client, "/products/p1/similar?top_k=3", "similar_products");

        Assert.Equal(["p2", "p3", "p4"], ids);
        Assert.Equal("p1", body["product_id"]!.GetValue<string>());
        Assert.Equal("similar", Source(body));
    }

    [Fact]
    public async Task A_short_similar_list_is_filled_from_trending_and_says_so()
    {
        var client = await ServeAsync();

        var (body, ids) = await GetAsync(client, "/products/p5/similar?top_k=4", "similar_products");

        Assert.Equal(["p6", "p7", "p8", "p4"], ids);
        Assert.Equal("similar+trending", Source(body));
    }

    [Fact]
    public async Task An_unknown_product_is_a_404_with_problem_details()
    {
        var client = await ServeAsync();

        var response = await client.GetAsync("/products/no-such-product/similar");

        await RecommendationsApiTests.AssertProblemAsync(response, HttpStatusCode.NotFound, "no-such-product");
    }

    [Fact]
    public async Task A_product_nobody_has_bought_yet_gets_trending_products_not_a_404()
    {
        _factory.Shop.AddProduct("brand-new");
        var client = await ServeAsync();

        var (body, ids) = await GetAsync(client, "/products/brand-new/similar?top_k=2", "similar_products");

        Assert.Equal(["p8", "p7"], ids);
        Assert.Equal("trending", Source(body));
    }

    [Fact]
    public async Task Trending_products_come_by_trending_score_then_popularity()
    {
        var client = await ServeAsync();

        var (body, ids) = await GetAsync(client, "/products/trending?top_k=10", "trending_products");

        Assert.Equal(["p8", "p7", "p6", "p5", "p4", "p3", "p2", "p1", "p9", "p10"], ids);
        Assert.Equal("trending+popular", Source(body));
    }

    [Fact]
    public async Task No_list_ever_shows_what_cannot_be_sold_even_after_it_changes()
    {
        _factory.Shop.AddProduct("p2", p => p["stockStatus"] = "OUT_OF_STOCK");
        var client = await ServeAsync();
        Assert.Equal("p7", (await GetAsync(client, "/products/trending?top_k=2", "trending_products")).Ids[1]);

        _factory.Shop.AddProduct("p7", p => p["isDraft"] = true);
        // Until the next refresh the service has not read the change.
        Assert.Contains("p7", (await GetAsync(client, "/products/trending?top_k=2", "trending_products")).Ids);

        _factory.Clock.Advance(RecommenderApiFactory.PollInterval);
        await Eventually.HoldsAsync(
            async () => !(await GetAsync(client, "/products/trending?top_k=2", "trending_products")).Ids.Contains("p7"), "the draft p7 to leave the list");

        foreach (var (url, list) in new[]
        {
            ("/products/trending?top_k=10", "trending_products"),
            ("/products/p1/similar?top_k=10", "similar_products"),
            ("/products/p5/similar?top_k=10", "similar_products"),
            ("/recommendations/regular?top_k=10", "recommended_products"),
            ("/recommendations/one-item?top_k=10", "recommended_products"),
            ("/recommendations/stranger?top_k=10", "recommended_products"),
        })
        {
            var (_, ids) = await GetAsync(client, url, list);
            Assert.DoesNotContain("p2", ids);
            Assert.DoesNotContain("p7", ids);
        }
    }

    [Fact]
    public async Task A_buyer_with_no_history_gets_trending_products()
    {
        var client = await ServeAsync();

        var (body, ids) = await GetAsync(client, "/recommendations/stranger?top_k=3", "recommended_products");

        Assert.Equal(["p8", "p7", "p6"], ids);
        Assert.Equal("trending", Source(body));
    }

    [Fact]
    public async Task A_buyer_with_one_item_gets_products_similar_to_it_then_trending()
    {
        var client = await ServeAsync();

        var (body, ids) = await GetAsync(client, "/recommendations/one-item?top_k=5", "recommended_products");

        Assert.Equal(["p2", "p3", "p4", "p8", "p7"], ids);
        Assert.Equal("similar+trending", Source(body));
    }

    [Fact]
    public async Task A_buyer_with_enough_history_gets_a_personalized_list_filled_to_top_k()
    {
        var client = await ServeAsync();

        var (body, ids) = await GetAsync(client, "/recommendations/regular?top_k=8", "recommended_products");

        // p1 twice: p2 1.8, p3 1.6, p4 1.0; p5 once: p6 0.7, p7 0.6; then trending without p1, p5.
        Assert.Equal(["p2", "p3", "p4", "p6", "p7", "p8"], ids[..6]);
        Assert.Equal(8, ids.Length);
        Assert.StartsWith("personalized+trending", Source(body));
    }

    [Theory]
    [InlineData("/recommendations/regular", "recommended_products")]
    [InlineData("/products/p1/similar", "similar_products")]
    [InlineData("/products/trending", "trending_products")]
    public async Task Every_list_filters_by_category_seller_price_and_exclusions(string path, string list)
    {
        var client = await ServeAsync();

        var (_, evens) = await GetAsync(client, $"{path}?top_k=10&category_id=cat-even", list);
        var (_, sellerB) = await GetAsync(client, $"{path}?top_k=10&seller_id=seller-b", list);
        var (_, priced) = await GetAsync(client, $"{path}?top_k=10&min_price=30&max_price=60", list);
        var (_, excluded) = await GetAsync(client, $"{path}?top_k=10&exclude=p2,p8,p6", list);

        Assert.NotEmpty(evens);
        Assert.All(evens, id => Assert.True(int.Parse(id[1..]) % 2 == 0, id));
        Assert.NotEmpty(sellerB);
        Assert.All(sellerB, id => Assert.True(int.Parse(id[1..]) > 5, id));
        Assert.NotEmpty(priced);
        Assert.All(priced, id => Assert.InRange(int.Parse(id[1..]), 3, 6));
        Assert.NotEmpty(excluded);
        Assert.DoesNotContain("p2", excluded);
        Assert.DoesNotContain("p8", excluded);
        Assert.DoesNotContain("p6", excluded);
    }

    [Theory]
    [InlineData("/recommendations/regular", "recommended_products")]
    [InlineData("/products/p1/similar", "similar_products")]
    [InlineData("/products/trending", "trending_products")]
    public async Task Pages_continue_each_other_and_scores_come_only_when_asked(string path, string list)
    {
        var client = await ServeAsync();

        var (whole, all) = await GetAsync(client, $"{path}?top_k=6", list);
        var (first, page1) = await GetAsync(client, $"{path}?top_k=3&include_scores=true", list);
        var (_, page2) = await GetAsync(client, $"{path}?top_k=3&offset=3", list);

        Assert.Equal(all, page1.Concat(page2).ToArray());
        Assert.False(whole.ContainsKey("scores"));
        var scores = first["scores"]!.AsArray().Select(s => s!.GetValue<float>()).ToArray();
        Assert.Equal(3, scores.Length);
        Assert.All(first[list]!.AsArray(), p => Assert.False(p!.AsObject().ContainsKey("score")));
    }

    [Theory]
    [InlineData("/recommendations/regular")]
    [InlineData("/products/p1/similar")]
    [InlineData("/products/trending")]
    public async Task Every_list_refuses_bad_filters_with_a_400(string path)
    {
        var client = await ServeAsync();

        foreach (var query in new[] { "?top_k=0", "?offset=-2", "?min_price=x", "?max_price=5&min_price=9", "?include_scores=maybe", "?category_id=" })
            await RecommendationsApiTests.AssertProblemAsync(await client.GetAsync(path + query), HttpStatusCode.BadRequest, "");
    }

    [Theory]
    [InlineData("/recommendations/regular")]
    [InlineData("/products/p1/similar")]
    [InlineData("/products/trending")]
    public async Task An_offset_beyond_MaxOffset_is_a_400_naming_the_setting(string path)
    {
        _factory.Settings["Recommender:MaxOffset"] = "4";
        var client = await ServeAsync();

        var deepest = await client.GetAsync(path + "?offset=4&top_k=2");
        var beyond = await client.GetAsync(path + "?offset=5&top_k=2");

        Assert.Equal(HttpStatusCode.OK, deepest.StatusCode);
        await RecommendationsApiTests.AssertProblemAsync(beyond, HttpStatusCode.BadRequest, "MaxOffset");
    }
}
