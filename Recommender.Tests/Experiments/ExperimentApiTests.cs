using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Recommender.Api.Experiments;
using Recommender.Api.RealTime;
using Recommender.Api.Serving;
using Recommender.Tests.Api;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Data;

namespace Recommender.Tests.Experiments;

/// <summary>
/// An A/B experiment through the real pipeline over the in-memory shop: both variants' models are
/// trained and served, responses say which variant answered, and orders the real-time poll sees
/// are credited to what each variant showed, until <c>/experiments</c> names the winner.
/// </summary>
public sealed class ExperimentApiTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(new RealTimeOptions().PollMilliseconds);
    private readonly RecommenderApiFactory _factory = new(trainOnSchedule: true);

    public ExperimentApiTests()
    {
        var shop = _factory.Shop;
        for (var p = 1; p <= 12; p++) shop.AddProduct($"p{p}");
        for (var b = 0; b < 30; b++)
        {
            shop.Add($"b{b}", "p1").Add($"b{b}", b % 2 == 0 ? "p2" : "p3");
            shop.Add($"b{b}", b < 15 ? "p4" : "p5", InteractionKind.Cart);
            shop.Add($"b{b}", b < 10 ? "p6" : "p7");
        }
        var settings = _factory.Settings;
        settings["Recommender:Training:Algorithm"] = "itemknn";
        settings["Recommender:Training:HoldoutEvaluation"] = "false";
        settings["Recommender:Experiments:Name"] = "knn-vs-popularity";
        settings["Recommender:Experiments:Salt"] = "2026-03";
        settings["Recommender:Experiments:Variants:0:Name"] = "a";
        settings["Recommender:Experiments:Variants:0:Algorithm"] = "default";
        settings["Recommender:Experiments:Variants:0:Share"] = "0.5";
        settings["Recommender:Experiments:Variants:1:Name"] = "b";
        settings["Recommender:Experiments:Variants:1:Algorithm"] = "popularity";
        settings["Recommender:Experiments:Variants:1:Share"] = "0.5";
    }

    public void Dispose() => _factory.Dispose();

    private ExperimentAssignment Assignment => _factory.Services.GetRequiredService<ExperimentAssignment>();

    private async Task PollOnceAsync()
    {
        var reads = _factory.Shop.ChangeReads;
        _factory.Clock.Advance(Poll);
        await Eventually.HoldsAsync(() => _factory.Shop.ChangeReads > reads, "the shop's changes to be read");
    }

    private static async Task<(string Variant, string Source, string[] Ids)> GetAsync(HttpClient client, string url)
    {
        var body = (await client.GetFromJsonAsync<JsonObject>(url))!;
        var products = (body["recommended_products"] ?? body["similar_products"] ?? body["trending_products"])!.AsArray();
        return (body["variant"]!.GetValue<string>(), body["source"]!.GetValue<string>(), [.. products.Select(p => p!["id"]!.GetValue<string>())]);
    }

    [Fact]
    public async Task Every_variant_is_trained_and_served_and_responses_say_which_answered()
    {
        var client = await _factory.CreateReadyClientAsync();
        var model = _factory.Services.GetRequiredService<ServingState>().Model!;
        var inA = Enumerable.Range(0, 30).Select(b => $"b{b}").First(b => Assignment.VariantOf(b) == "a");
        var inB = Enumerable.Range(0, 30).Select(b => $"b{b}").First(b => Assignment.VariantOf(b) == "b");

        var a = await GetAsync(client, $"/recommendations/{inA}?top_k=3");
        var b = await GetAsync(client, $"/recommendations/{inB}?top_k=3");
        var similar = await GetAsync(client, $"/products/p1/similar?top_k=3&buyer_id={inB}");
        var anonymous = await GetAsync(client, "/products/trending?top_k=3");

        Assert.Equal("popularity", model.Manifest.Variants["b"].Algorithm);
        Assert.Equal("popularity", model.FittedFor("b").Algorithm);
        Assert.Equal(("a", "personalized"), (a.Variant, a.Source.Split('+')[0]));
        Assert.Equal("b", b.Variant);
        Assert.DoesNotContain("personalized", b.Source, StringComparison.Ordinal);   // popularity is not personalized
        Assert.Equal("b", similar.Variant);
        Assert.Equal(ExperimentOptions.Default, anonymous.Variant);
        Assert.Equal("b", (await GetAsync(client, $"/recommendations/{inB}?top_k=3")).Variant);
    }

    [Fact]
    public async Task A_buyer_id_too_long_for_a_product_list_is_a_bad_request()
    {
        var client = await _factory.CreateReadyClientAsync();

        var response = await client.GetAsync($"/products/trending?buyer_id={new string('x', 300)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_simulated_shop_where_buyers_order_what_B_shows_more_often_names_B_the_winner()
    {
        var client = await _factory.CreateReadyClientAsync();
        await PollOnceAsync();                                  // the start-up read is done: what follows are changes
        var random = new Random(12);
        var expected = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };

        for (var n = 0; n < 600; n++)
        {
            var buyer = $"new-{n:D4}";
            var shown = await GetAsync(client, $"/recommendations/{buyer}?top_k=4");
            // Buyers order a product variant B showed them three times as often as one A showed them.
            if (random.NextDouble() < (shown.Variant == "b" ? 0.30 : 0.10))
            {
                _factory.Shop.Add(buyer, shown.Ids[random.Next(shown.Ids.Length)], createdAt: _factory.Clock.GetUtcNow().AddMinutes(5).UtcDateTime, revenue: 25);
                expected[shown.Variant]++;
            }
        }
        await PollOnceAsync();

        var report = await Eventually.ReturnsAsync(
            async () => (await client.GetFromJsonAsync<JsonObject>("/experiments"))!,
            r => r["variants"]!.AsArray().Sum(v => v!["attributed_orders"]!.GetValue<long>()) == expected["a"] + expected["b"],
            "every order to be credited");
        var variants = report["variants"]!.AsArray().ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!);

        Assert.Equal(expected["a"], variants["a"]["attributed_orders"]!.GetValue<long>());
        Assert.Equal(expected["b"], variants["b"]["attributed_orders"]!.GetValue<long>());
        Assert.Equal(25.0 * expected["b"], variants["b"]["revenue"]!.GetValue<double>(), 6);
        Assert.True(variants["b"]["conversion_rate"]!.GetValue<double>() > variants["a"]["conversion_rate"]!.GetValue<double>());
        Assert.True(variants["b"]["versus_control"]!["significant"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Equal("b", report["winner"]!.GetValue<string>());
        Assert.Equal("a", report["control"]!.GetValue<string>());

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains($"recommender_attributed_total{{list=\"recommendations\",source=\"trending\",variant=\"b\",outcome=\"order\"}} {expected["b"]}", metrics, StringComparison.Ordinal);
        Assert.Contains("recommender_impressions_total{list=\"recommendations\",source=\"trending\",variant=\"b\"}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_late_and_unshown_orders_count_nothing()
    {
        var client = await _factory.CreateReadyClientAsync();
        await PollOnceAsync();
        var shown = await GetAsync(client, "/recommendations/newcomer?top_k=3");
        var notShown = Enumerable.Range(1, 12).Select(p => $"p{p}").First(p => !shown.Ids.Contains(p));
        var now = _factory.Clock.GetUtcNow().UtcDateTime;

        _factory.Shop.Add("newcomer", shown.Ids[0], orderStatus: "CANCELLED", createdAt: now.AddMinutes(1), revenue: 10);
        _factory.Shop.Add("newcomer", shown.Ids[1], createdAt: now.AddHours(25), revenue: 10);
        _factory.Shop.Add("newcomer", notShown, createdAt: now.AddMinutes(1), revenue: 10);
        await PollOnceAsync();
        // Then one that counts, so the test knows the poll has credited what it read.
        _factory.Shop.Add("newcomer", shown.Ids[2], InteractionKind.Wishlist, createdAt: now.AddMinutes(2));
        await PollOnceAsync();

        await Eventually.HoldsAsync(async () => (await client.GetStringAsync("/metrics")).Contains("outcome=\"wishlist\"} 1", StringComparison.Ordinal),
            "the wishlist item to be credited");
        var metrics = await client.GetStringAsync("/metrics");
        Assert.DoesNotContain("outcome=\"order\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preview_with_track_false_is_not_remembered_so_nothing_is_credited_to_it()
    {
        var client = await _factory.CreateReadyClientAsync();
        await PollOnceAsync();
        var preview = await GetAsync(client, "/recommendations/previewed?top_k=3&track=false");
        var shown = await GetAsync(client, "/products/trending?top_k=3&buyer_id=previewed");
        var onlyPreviewed = preview.Ids.Concat(Enumerable.Range(1, 12).Select(p => $"p{p}")).First(p => !shown.Ids.Contains(p));
        var now = _factory.Clock.GetUtcNow().UtcDateTime;

        _factory.Shop.Add("previewed", onlyPreviewed, InteractionKind.Cart, createdAt: now.AddMinutes(1));
        _factory.Shop.Add("previewed", shown.Ids[0], InteractionKind.Cart, createdAt: now.AddMinutes(1));
        await PollOnceAsync();

        Assert.Equal(Assignment.VariantOf("previewed"), shown.Variant);
        await Eventually.HoldsAsync(async () => (await client.GetStringAsync("/metrics")).Contains(
            $"recommender_attributed_total{{list=\"trending\",source=\"trending\",variant=\"{shown.Variant}\",outcome=\"cart\"}} 1", StringComparison.Ordinal),
            "the trending list's cart item to be credited");
        Assert.DoesNotContain("recommender_attributed_total{list=\"recommendations\"", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/products/trending?track=maybe")).StatusCode);
    }
}
