using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.Outcomes;
using Recommender.Api.Serving;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Api.RealTime;

/// <summary>
/// The one code path after a change source (the poller or logical replication): the changed
/// buyers' current interactions go into <see cref="LiveHistories"/>, and whenever another model
/// starts serving, every held buyer (and every buyer changed since that model's data was read)
/// is re-read from the shop in one set-based read, so no held state outlives the model it was
/// newer than without being checked against the shop again. Not thread-safe: a source calls it
/// from its one loop.
/// </summary>
public sealed partial class LiveHistoryUpdates(
    IShopDatabase shop,
    ServingState state,
    LiveHistories live,
    OutcomeTracker outcomes,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<LiveHistoryUpdates> logger)
{
    /// <summary>
    /// How far before a model's stamp its data may have been read: a model's data is read before
    /// its fit (and model selection) and stamped after, on the service's clock.
    /// </summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromMinutes(10);

    // Buyers changed recently (service clock): a buyer whose change was undone before a model
    // swap is not held, yet the new model may have read the state in between.
    private readonly Dictionary<string, DateTimeOffset> _recent = new(StringComparer.Ordinal);
    private RecommenderModel? _reconciledFor;

    private IReadOnlyCollection<string> CountedOrderStatuses => options.Value.Training.Weights.CountedOrderStatuses;

    /// <summary>True once the start-up read (<see cref="CatchUpAsync"/>) is done: changes from then on are a source's.</summary>
    public bool CaughtUp { get; private set; }

    /// <summary>The model serving now, or null before one does.</summary>
    public RecommenderModel? Model => state.Current?.Model;

    /// <summary>
    /// The start-up read, the same for both sources: every buyer's current interactions compared
    /// with the serving model's, so whatever happened since the model's data was read (deleted
    /// rows included, which no time column shows) is held. One streamed read of the shop's
    /// interactions, as a training does.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        if (Model is not { } model) return;
        var interactions = new List<ShopInteraction>();
        await foreach (var interaction in shop.ReadInteractionsAsync(CountedOrderStatuses, cancellationToken))
            interactions.Add(interaction);
        var buyers = new HashSet<string>(model.Buyers.Ids, StringComparer.Ordinal);
        buyers.UnionWith(interactions.Select(i => i.BuyerId));
        live.Apply(buyers, interactions, model);
        _reconciledFor = model;
        CaughtUp = true;
        Trim();
        LogCaughtUp(model.Version, interactions.Count, live.Count);
    }

    /// <summary>
    /// Applies a source's changes: every current interaction of the buyers named. Their rows are
    /// also credited to what was shown to them (<see cref="OutcomeTracker.Attribute"/>): this is
    /// where both sources meet.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyCollection<string> buyers, IReadOnlyList<ShopInteraction> interactions, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var buyer in buyers) _recent[buyer] = now;
        live.Apply(buyers, interactions, Model);
        outcomes.Attribute(interactions);
        await ReconcileAsync(cancellationToken);
        Trim();
    }

    /// <summary>As <see cref="ApplyAsync(IReadOnlyCollection{string}, IReadOnlyList{ShopInteraction}, CancellationToken)"/> for buyers named without their rows: reads them first.</summary>
    public async Task ApplyAsync(IReadOnlyCollection<string> buyers, CancellationToken cancellationToken)
    {
        var interactions = buyers.Count == 0 ? [] : await shop.ReadBuyersAsync(buyers, CountedOrderStatuses, cancellationToken);
        await ApplyAsync(buyers, interactions, cancellationToken);
    }

    /// <summary>
    /// When another model serves than at the last call: re-reads the held buyers and those changed
    /// since the new model's data was read, in one read, and keeps only what still differs from it.
    /// A failed read throws and is retried at the next call; the held state stays until then.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (Model is not { } model || ReferenceEquals(model, _reconciledFor)) return;
        if (_reconciledFor is null)
        {
            // The first model this source sees: nothing held can predate it.
            _reconciledFor = model;
            return;
        }
        var manifest = model.Manifest;
        var dataReadFrom = manifest.TrainedAt - TimeSpan.FromSeconds(manifest.TrainingSeconds) - Lookback;
        foreach (var (buyer, at) in _recent.ToList())
            if (at < dataReadFrom) _recent.Remove(buyer);
        var buyers = new HashSet<string>(live.HeldBuyers(), StringComparer.Ordinal);
        buyers.UnionWith(_recent.Keys);
        var held = live.Count;
        var interactions = buyers.Count == 0 ? [] : await shop.ReadBuyersAsync(buyers, CountedOrderStatuses, cancellationToken);
        // The model may have changed again during the read: compare with the one serving now.
        model = Model ?? model;
        live.Apply(buyers, interactions, model);
        _reconciledFor = model;
        LogReconciled(model.Version, buyers.Count, held, live.Count);
    }

    private void Trim()
    {
        var max = options.Value.RealTime.MaxBuyers;
        if (live.Trim(max) is > 0 and var trimmed)
            LogTrimmed(trimmed, max);
        if (_recent.Count > max)
            _recent.Clear();
    }

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information,
        Message = "Model {Version} serves: {Read} held or recently changed buyers re-read from the shop; {Before} were held, {Held} still differ from it")]
    private partial void LogReconciled(long version, int read, int before, int held);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning,
        Message = "More than {Max} buyers changed since the model: the {Dropped} changed longest ago are served from the model until the next training")]
    private partial void LogTrimmed(int dropped, int max);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information,
        Message = "Real-time start-up read: {Rows} current interactions compared with model {Version}; {Held} buyers differ from it")]
    private partial void LogCaughtUp(long version, int rows, int held);
}
