using Microsoft.Playwright;
using Recommender.Api.Demo;
using Recommender.Tests.Api;
using Recommender.Tests.Fakes;
using Recommender.Training.Artifacts;
using Xunit.Abstractions;

namespace Recommender.Tests.Browser;

/// <summary>The dashboard in headless Chromium, on the demo shop, as an operator uses it.</summary>
public sealed class DashboardBrowserTests(DemoShopBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<DemoShopBrowserFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private BrowserHost Host => fixture.Host;

    /// <summary>Opens the service's root, as a new user would, and gives the key the page asks for.</summary>
    private async Task<IPage> OpenWithKeyAsync()
    {
        var page = await Host.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#key-form")).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        await page.FillAsync("#key-input", DemoShopBrowserFixture.Key);
        await page.ClickAsync("#key-form button[type=submit]");
        await Assertions.Expect(page.Locator("#model-version")).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        return page;
    }

    private static async Task ShowBuyerAsync(IPage page, string buyerId)
    {
        await page.FillAsync("#buyer-id", buyerId);
        await page.FillAsync("#top-k", "10");
        await page.ClickAsync("#buyer-form button[type=submit]");
        await Assertions.Expect(page.Locator("#recommendations li.card")).ToHaveCountAsync(10, new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(page.Locator("#history li.card").First).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task The_root_leads_to_the_dashboard_whose_model_panel_shows_the_serving_version()
    {
        var page = await OpenWithKeyAsync();

        Assert.EndsWith("/dashboard/", page.Url);
        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync(Host.ServingVersion.ToString());
        await Assertions.Expect(page.Locator("#model-badge")).ToHaveTextAsync($"model v{Host.ServingVersion}");
        await Assertions.Expect(page.Locator("#model-facts [data-fact=Algorithm]")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#quality-chart svg circle").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#open-warning")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#serving-facts [data-fact=p50]")).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task The_experiment_panel_says_no_experiment_runs_and_names_the_test_it_would_use()
    {
        var page = await OpenWithKeyAsync();

        await Assertions.Expect(page.Locator("#experiment-name")).ToHaveTextAsync("· none configured", new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(page.Locator("#experiment-verdict")).ToContainTextAsync("No experiment is configured");
        await Assertions.Expect(page.Locator("#experiment-test")).ToContainTextAsync("two-proportion z-test");
    }

    [BrowserFact]
    public async Task Typing_buyer_0001_shows_pottery_and_candles_beside_the_buyers_history()
    {
        var page = await OpenWithKeyAsync();
        var showcase = DemoShop.ShowcaseBuyers.Single(b => b.Id == "buyer-0001");

        await ShowBuyerAsync(page, showcase.Id);

        var recommended = await page.Locator("#recommendations li.card").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.categoryId)");
        var fromTaste = recommended.Count(showcase.CategoryIds.Contains);
        Assert.True(fromTaste >= 7, $"only {fromTaste} of 10 are pottery or candles: {string.Join(", ", recommended)}");

        var history = page.Locator("#history li.card");
        var kinds = await history.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.kind)");
        Assert.NotEmpty(kinds);
        Assert.All(kinds, kind => Assert.Contains(kind, new[] { "order", "cart", "wishlist" }));
        var names = await page.Locator("#history li.card .name").AllInnerTextsAsync();
        Assert.All(names, name => Assert.DoesNotMatch("^prod-", name));   // the shop's names, not ids
        var categories = await history.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.categoryId)");
        Assert.True(categories.Count(showcase.CategoryIds.Contains) * 2 > categories.Length, "the history is not mostly pottery and candles");
        await Assertions.Expect(page.Locator("#trending li.card")).ToHaveCountAsync(10);
    }

    /// <summary>Needs the service's explain=true (the lead's change); fails until it is merged.</summary>
    [BrowserFact]
    public async Task Each_recommendation_for_buyer_0001_is_explained_by_named_products_from_the_history()
    {
        var page = await OpenWithKeyAsync();

        await ShowBuyerAsync(page, "buyer-0001");

        var historyIds = await page.Locator("#history li.card").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.productId)");
        var historyNames = await page.Locator("#history li.card .name").AllInnerTextsAsync();
        var explanations = page.Locator("#recommendations li.card .because");
        await Assertions.Expect(explanations).ToHaveCountAsync(10);
        var because = await explanations.EvaluateAllAsync<string[]>("lines => lines.map(l => l.dataset.because)");
        Assert.All(because, ids =>
        {
            Assert.False(string.IsNullOrWhiteSpace(ids));
            Assert.All(ids.Split(' '), id => Assert.Contains(id, historyIds));
        });
        // Named as the history shows them, not by id.
        Assert.All(await explanations.AllInnerTextsAsync(), text => Assert.Contains(historyNames, name => text.Contains(name)));
    }

    [BrowserFact]
    public async Task A_filter_narrows_the_lists_and_a_product_click_shows_its_similar_products()
    {
        var page = await OpenWithKeyAsync();
        await page.FillAsync("#category-id", "cat-candles");

        await ShowBuyerAsync(page, "buyer-0001");
        await page.Locator("#recommendations li.card").First.ClickAsync();

        var recommended = await page.Locator("#recommendations li.card").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.categoryId)");
        Assert.All(recommended, category => Assert.Equal("cat-candles", category));
        await Assertions.Expect(page.Locator("#similar-panel")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#similar li.card").First).ToBeVisibleAsync();
        var similar = await page.Locator("#similar li.card").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.categoryId)");
        Assert.All(similar, category => Assert.Equal("cat-candles", category));
    }

    [BrowserFact]
    public async Task A_wrong_key_shows_an_error_not_a_blank_page_and_the_right_key_then_opens_it()
    {
        var page = await Host.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        await Assertions.Expect(page.Locator("#key-form")).ToBeVisibleAsync();

        await page.FillAsync("#key-input", "not-the-key-0123456789");
        await page.ClickAsync("#key-form button[type=submit]");

        await Assertions.Expect(page.Locator("#error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("not accepted");
        await Assertions.Expect(page.Locator("#key-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#main")).ToBeHiddenAsync();

        await page.FillAsync("#key-input", DemoShopBrowserFixture.Key);
        await page.ClickAsync("#key-form button[type=submit]");
        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync(Host.ServingVersion.ToString());
        await Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();
    }

    [BrowserFact]
    public async Task The_first_load_is_measured_and_a_screenshot_of_buyer_0001_is_taken()
    {
        var page = await Host.NewPageAsync();
        // The key this tab was given earlier, so the load measured is the page's own.
        await page.Context.AddInitScriptAsync($"sessionStorage.setItem('recommender.apiKey', '{DemoShopBrowserFixture.Key}')");
        var requests = new List<(string Url, Task<RequestSizesResult> Sizes)>();
        page.RequestFinished += (_, request) => requests.Add((request.Url, request.SizesAsync()));

        await page.GotoAsync("/dashboard/");
        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync(Host.ServingVersion.ToString());
        await Assertions.Expect(page.Locator("#trending li.card").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var sizes = await Task.WhenAll(requests.Select(r => r.Sizes));
        long Bytes(Func<string, bool> which) => requests.Zip(sizes)
            .Where(pair => which(pair.First.Url))
            .Sum(pair => (long)pair.Second.ResponseBodySize + pair.Second.ResponseHeadersSize + pair.Second.RequestHeadersSize);
        var files = Bytes(url => new Uri(url).AbsolutePath.StartsWith("/dashboard/") && !url.Contains("/dashboard/api/"));
        var data = Bytes(_ => true) - files;
        var rendered = await page.EvaluateAsync<double>("performance.getEntriesByName('dashboard-rendered')[0].startTime");
        output.WriteLine($"first load: {requests.Count} requests, {files + data:N0} bytes ({files:N0} the page's files, {data:N0} data); " +
            $"model panel rendered {rendered:F0} ms after navigation started");

        await ShowBuyerAsync(page, "buyer-0001");
        var path = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        Assert.True(new FileInfo(path).Length > 10_000);
        Assert.Contains(requests, r => r.Url.EndsWith("/dashboard/api/model"));
    }
}

/// <summary>An open service (no key configured): the page says so instead of asking for a key.</summary>
public sealed class OpenServiceBrowserTests
{
    [BrowserFact]
    public async Task Without_a_configured_key_the_page_warns_that_the_service_is_open()
    {
        var factory = new RecommenderApiFactory();
        string[] products = ["p1", "p2", "p3"];
        foreach (var product in products) factory.Shop.AddProduct(product);
        new ModelStore(factory.ModelsDirectory, keep: 5).Publish(TestModels.WithScores(4, ["alice"], products, [3f, 2f, 1f]));
        await using var host = await BrowserHost.StartAsync(factory, TimeSpan.FromSeconds(30));
        var page = await host.NewPageAsync();

        await page.GotoAsync("/dashboard/");

        await Assertions.Expect(page.Locator("#open-warning")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#open-warning")).ToContainTextAsync("No API key is configured");
        await Assertions.Expect(page.Locator("#model-version")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("#key-form")).ToBeHiddenAsync();
    }
}
