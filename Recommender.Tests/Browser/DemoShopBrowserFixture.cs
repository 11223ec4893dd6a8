using Recommender.Tests.Api;

namespace Recommender.Tests.Browser;

/// <summary>
/// The demo shop (<c>dotnet run</c> with nothing configured) trained and served on a real port,
/// with an API key configured, as an operator would run it; and a browser to look at it.
/// </summary>
public sealed class DemoShopBrowserFixture : IAsyncLifetime
{
    public const string Key = "browser-test-key-0123456789";

    private BrowserHost? _host;

    public BrowserHost Host => _host ?? throw new InvalidOperationException(Chromium.SkipReason);

    public async Task InitializeAsync()
    {
        if (Chromium.ShouldSkip) return;    // every test is skipped; in CI the tests fail in StartAsync instead
        var factory = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false);
        factory.Settings["API_KEY"] = Key;
        _host = await BrowserHost.StartAsync(factory, TimeSpan.FromSeconds(120));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}
