using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Recommender.Api.Shop;
using Recommender.Tests.Fakes;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Data;

namespace Recommender.Tests.Api;

/// <summary>
/// The real HTTP pipeline with a models directory of its own, over an in-memory shop unless
/// <paramref name="inMemoryShop"/> is false (then the configured shop, or the demo shop, is read).
/// The schedule is off unless asked for.
/// The service's clock is <see cref="Clock"/>, a fake one that moves only when the test advances
/// it: the model poll, the product refresh, the real-time poll and the training schedule each run
/// once at start-up and then only when it passes their interval. <paramref name="realClock"/> keeps
/// the system clock, for what must run end to end in real time (replicas, the PostgreSQL poll).
/// A <paramref name="modelsDirectory"/> given by the test outlives the factory (a restart);
/// otherwise each factory has its own, deleted with it.
/// </summary>
public sealed class RecommenderApiFactory(
    bool trainOnSchedule = false, bool inMemoryShop = true, string? modelsDirectory = null, bool realClock = false)
    : WebApplicationFactory<Program>
{
    /// <summary>
    /// The service's clock, starting at the real time so that timestamps read from the shop (and the
    /// trigger Quartz builds when the host starts) fall where they would.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>
    /// How often, on the fake clock, the service looks for a newer model and re-reads the product
    /// rows (on the system clock: every second). An hour, as the training interval, so a loop that
    /// ignored the service's clock would leave the test that advances it waiting in vain.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromHours(1);

    public InMemoryShopDatabase Shop { get; } = new();

    public string ModelsDirectory { get; } = modelsDirectory ?? Directory.CreateTempSubdirectory("recommender-models-").FullName;

    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Changes to the services after the application's own, to inject faults at a seam.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Recommender:TrainOnSchedule", trainOnSchedule.ToString());
        builder.UseSetting("Recommender:ModelsDirectory", ModelsDirectory);
        builder.UseSetting("Recommender:TrainingIntervalSeconds", "3600");
        var poll = realClock ? "1" : PollInterval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.UseSetting("Recommender:ModelPollSeconds", poll);
        builder.UseSetting("Recommender:ProductRefreshSeconds", poll);
        // Tests send requests far faster than any client may; the rate limit's own tests turn it on.
        builder.UseSetting("Recommender:Security:RateLimit:Enabled", "false");
        // Without training, a test publishes made-up models that were never trained on Shop; real
        // time compares every model buyer with the shop at start-up and would (rightly) find that
        // they have nothing there. Tests of real time train from the shop, or turn it on.
        builder.UseSetting("Recommender:RealTime:Enabled", trainOnSchedule.ToString());
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        // An empty DATABASE_URL (API_KEY) overrides one in the environment the tests run in.
        builder.UseSetting("DATABASE_URL", Settings.GetValueOrDefault("DATABASE_URL") ?? "");
        builder.UseSetting("API_KEY", Settings.GetValueOrDefault("API_KEY") ?? "");
        builder.UseSetting("Recommender:DemoShopPath", Path.Combine(ModelsDirectory, "demo", "shop.db"));
        if (!realClock)
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        if (TestServices is { } configure) builder.ConfigureServices(configure);
        if (!inMemoryShop) return;
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IShopDatabase>();
            services.AddSingleton<IShopDatabase>(Shop);
            var demo = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(DemoShopInitializer));
            services.Remove(demo);
        });
    }

    /// <summary>Waits until /ready says 200 (a model and the product rows are loaded).</summary>
    public async Task<HttpClient> CreateReadyClientAsync(TimeSpan? timeout = null)
    {
        var client = CreateClient();
        await Eventually.HoldsAsync(
            async () => (await client.GetAsync("/ready")).StatusCode == System.Net.HttpStatusCode.OK, "the service to be ready", timeout);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && modelsDirectory is null)
        {
            try { Directory.Delete(ModelsDirectory, recursive: true); }
            catch (IOException) { }
        }
    }
}
