using Prometheus;
using Recommender.Api.Serving;

namespace Recommender.Api.Observability;

/// <summary>
/// The service's Prometheus metrics, in a registry of its own (so each host, and each test
/// server, reports only itself). Counters are bumped where things happen; everything that
/// describes the serving model and product rows is read from <see cref="ServingState"/> when
/// Prometheus scrapes, so the request path pays nothing for it.
/// </summary>
public sealed class RecommenderMetrics
{
    private readonly ServingState _state;
    private readonly TimeProvider _clock;
    private readonly ServingStats _stats;

    private readonly Counter _recommendations;
    private readonly Counter _impressions;
    private readonly Counter _productsShown;
    private readonly Counter _attributed;
    private readonly Counter _attributedRevenue;
    private readonly Counter _trainings;
    private readonly Histogram _trainingDuration;

    private readonly Gauge _modelVersion;
    private readonly Gauge _modelAge;
    private readonly Gauge _modelBuyers;
    private readonly Gauge _modelProducts;
    private readonly Gauge _modelInteractions;
    private readonly Gauge _offlineMetric;
    private readonly Gauge _productCacheAge;
    private readonly Gauge _productCacheSize;
    private readonly Gauge _replicationLag;
    private readonly Lock _offlineLock = new();
    private long _offlineVersion = -1;
    private string[] _offlineNames = [];

    public RecommenderMetrics(ServingState state, TimeProvider clock, ServingStats stats)
    {
        _state = state;
        _clock = clock;
        _stats = stats;
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var metrics = Metrics.WithCustomRegistry(Registry);

        _recommendations = metrics.CreateCounter("recommender_recommendations_total",
            "Lists served, by list (recommendations, similar, trending) and the source of their first product: " +
            "personalized or similar (the model), trending or popular (fallbacks).",
            "list", "source");

        _impressions = metrics.CreateCounter("recommender_impressions_total",
            "Lists served, by list, the source of their first product and the experiment variant that answered (default outside one).",
            "list", "source", "variant");
        _productsShown = metrics.CreateCounter("recommender_products_shown_total",
            "Products returned in lists, by list, the source that picked each and the variant.", "list", "source", "variant");
        _attributed = metrics.CreateCounter("recommender_attributed_total",
            "A buyer's new cart item, wishlist item or order item (outcome) for a product shown to them within Attribution:WindowHours, " +
            "counted once, by the list, source and variant that showed it. Each replica counts what it showed and saw: sum over instances.",
            "list", "source", "variant", "outcome");
        _attributedRevenue = metrics.CreateCounter("recommender_attributed_revenue_total",
            "Revenue (price × quantity of the order item) of attributed orders, by the list, source and variant that showed the product.",
            "list", "source", "variant");

        _trainings = metrics.CreateCounter("recommender_trainings_total",
            "Scheduled trainings by outcome: published, unchanged (nothing to fit) or failed.", "outcome");
        _trainingDuration = metrics.CreateHistogram("recommender_training_duration_seconds",
            "Duration of scheduled trainings (read, fit, publish), by outcome.",
            new HistogramConfiguration
            {
                LabelNames = ["outcome"],
                Buckets = Histogram.ExponentialBuckets(start: 0.05, factor: 2, count: 14), // 50 ms … 7 min
            });

        _modelVersion = metrics.CreateGauge("recommender_model_version", "Version of the model serving; 0 before one is loaded.");
        _modelAge = metrics.CreateGauge("recommender_model_age_seconds", "Seconds since the serving model was trained.");
        _modelBuyers = metrics.CreateGauge("recommender_model_buyers", "Buyers in the serving model.");
        _modelProducts = metrics.CreateGauge("recommender_model_products", "Products in the serving model.");
        _modelInteractions = metrics.CreateGauge("recommender_model_interactions", "Interactions the serving model was trained on.");
        _offlineMetric = metrics.CreateGauge("recommender_model_offline_metric",
            "Offline evaluation of the serving model, as recorded in its manifest (e.g. ndcg@10).", "name");
        _productCacheAge = metrics.CreateGauge("recommender_product_cache_age_seconds", "Seconds since the product rows were read from the shop.");
        _productCacheSize = metrics.CreateGauge("recommender_product_cache_products", "Product rows held in memory.");

        _replicationLag = metrics.CreateGauge("recommender_realtime_replication_lag_bytes",
            "WAL bytes PostgreSQL keeps for this replica's replication slot (RealTime:Source=replication): from its last " +
            "acknowledged position to the server's current one. Growing without bound means changes are not being applied.");

        Registry.AddBeforeCollectCallback(UpdateServingGauges);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Counts one list served (here and in the dashboard's <see cref="ServingStats"/>); called on the request path, so it only bumps counters.</summary>
    public void ListServed(string list, string sources)
    {
        var plus = sources.IndexOf('+');
        var first = plus < 0 ? sources : sources[..plus];
        _recommendations.WithLabels(list, first).Inc();
        _stats.ListServed(list, first);
    }

    /// <summary>Counts a list served with its products (request path: a few counter increments).</summary>
    /// <param name="productSources">The source of each product, in list order: runs of one source are counted at once.</param>
    public void Shown(string list, string firstSource, string variant, IReadOnlyList<string> productSources)
    {
        ArgumentNullException.ThrowIfNull(productSources);
        _impressions.WithLabels(list, firstSource, variant).Inc();
        var run = 0;
        for (var n = 0; n < productSources.Count; n++)
        {
            run++;
            if (n + 1 < productSources.Count && productSources[n + 1] == productSources[n]) continue;
            _productsShown.WithLabels(list, productSources[n], variant).Inc(run);
            run = 0;
        }
    }

    /// <summary>Counts an outcome credited to a list that showed the product.</summary>
    public void Attributed(string list, string source, string variant, string outcome, double revenue)
    {
        _attributed.WithLabels(list, source, variant, outcome).Inc();
        if (outcome == "order") _attributedRevenue.WithLabels(list, source, variant).Inc(Math.Max(0, revenue));
    }

    public void TrainingFinished(string outcome, TimeSpan duration)
    {
        _trainings.WithLabels(outcome).Inc();
        _trainingDuration.WithLabels(outcome).Observe(duration.TotalSeconds);
    }

    /// <summary>The slot's lag as last measured (every 10 s); unpublished while unknown.</summary>
    public void ReplicationLag(long? bytes)
    {
        if (bytes is { } lag) _replicationLag.Set(lag);
        else _replicationLag.Unpublish();
    }

    private void UpdateServingGauges()
    {
        var now = _clock.GetUtcNow();
        if (_state.Model is { Manifest: var manifest })
        {
            _modelVersion.Set(manifest.Version);
            _modelAge.Set(Math.Max(0, (now - manifest.TrainedAt).TotalSeconds));
            _modelBuyers.Set(manifest.Buyers);
            _modelProducts.Set(manifest.Products);
            _modelInteractions.Set(manifest.Interactions);
            UpdateOfflineMetrics(manifest.Version, manifest.Metrics);
        }
        if (_state.Catalog is { } catalog)
        {
            _productCacheAge.Set(Math.Max(0, (now - catalog.LoadedAt).TotalSeconds));
            _productCacheSize.Set(catalog.ById.Count);
        }
    }

    /// <summary>Replaces the offline metrics when the model changes, dropping names the new model lacks.</summary>
    private void UpdateOfflineMetrics(long version, IReadOnlyDictionary<string, double> values)
    {
        lock (_offlineLock)
        {
            if (version == _offlineVersion) return;
            foreach (var name in _offlineNames.Where(name => !values.ContainsKey(name)))
                _offlineMetric.RemoveLabelled(name);
            foreach (var (name, value) in values)
                _offlineMetric.WithLabels(name).Set(value);
            _offlineNames = [.. values.Keys];
            _offlineVersion = version;
        }
    }
}
