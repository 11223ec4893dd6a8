using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Recommender.Tests.Api;

namespace Recommender.Tests.Browser;

/// <summary>
/// The service on a real Kestrel port on 127.0.0.1 (a browser cannot reach the in-memory test
/// server), and one headless Chromium for the tests to open pages in.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    private BrowserHost(RecommenderApiFactory factory, Uri address, IPlaywright playwright, IBrowser browser, long servingVersion)
    {
        Factory = factory;
        Address = address;
        Playwright = playwright;
        Browser = browser;
        ServingVersion = servingVersion;
    }

    public RecommenderApiFactory Factory { get; }
    public Uri Address { get; }
    public IPlaywright Playwright { get; }
    public IBrowser Browser { get; }

    /// <summary>The model version /ready named once the service was ready.</summary>
    public long ServingVersion { get; }

    /// <summary>Starts <paramref name="factory"/> on a free loopback port, waits for /ready and launches Chromium.</summary>
    public static async Task<BrowserHost> StartAsync(RecommenderApiFactory factory, TimeSpan readyTimeout)
    {
        if (!Chromium.IsInstalled)
            throw new InvalidOperationException(Chromium.SkipReason);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = new Uri(addresses.Single());

        using var http = new HttpClient { BaseAddress = address };
        var deadline = DateTime.UtcNow + readyTimeout;
        JsonObject? ready = null;
        while (true)
        {
            var response = await http.GetAsync("/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                ready = await response.Content.ReadFromJsonAsync<JsonObject>();
                break;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The service did not become ready.");
            await Task.Delay(100);
        }

        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
        });
        return new BrowserHost(factory, address, playwright, browser, ready!["model_version"]!.GetValue<long>());
    }

    /// <summary>A fresh page in a context of its own (its own sessionStorage: no key yet).</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 1000 },
        });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        Factory.Dispose();
    }
}
