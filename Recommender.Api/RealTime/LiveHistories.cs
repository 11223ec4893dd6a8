using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Training.Algorithms;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Api.RealTime;

/// <summary>
/// The current interactions of buyers whose orders, cart or wishlist changed since the serving
/// model was trained, kept up to date by <see cref="LiveHistoryUpdates"/> from either change source. A buyer is held only
/// while their current state differs from the model's: once a model that has it is serving,
/// the entry is dropped and the model's own history (and, for ALS, its trained vector) serves.
/// Requests only look up a dictionary; a history is built once per buyer and model.
/// </summary>
public sealed class LiveHistories(IOptions<RecommenderOptions> options) : ILiveHistories
{
    private readonly ConcurrentDictionary<string, LiveBuyer> _buyers = new(StringComparer.Ordinal);
    // Read on first use, not at construction, so invalid settings fail start-up where they always have.
    private InteractionWeights? _weights;
    private long _changes;

    private InteractionWeights Weights => _weights ??= options.Value.Training.Weights;

    /// <summary>Buyers held now.</summary>
    public int Count => _buyers.Count;

    public BuyerHistory? Find(ServingSnapshot snapshot, string buyerId) =>
        _buyers.TryGetValue(buyerId, out var buyer) ? buyer.HistoryFor(snapshot.Model, Weights) : null;

    /// <summary>
    /// Replaces every changed buyer's interactions with their current ones. A buyer whose current
    /// state is what <paramref name="model"/> already has is not kept (a cart item added and
    /// removed again, or a bucket neighbour of a changed cart).
    /// </summary>
    public void Apply(ShopChanges changes, RecommenderModel? model) => Apply(changes.Buyers, changes.Interactions, model);

    /// <summary>As <see cref="Apply(ShopChanges, RecommenderModel?)"/>: <paramref name="interactions"/> are every current interaction of <paramref name="buyers"/>.</summary>
    public void Apply(IEnumerable<string> buyers, IEnumerable<ShopInteraction> interactions, RecommenderModel? model)
    {
        var byBuyer = interactions.ToLookup(i => i.BuyerId, StringComparer.Ordinal);
        foreach (var buyerId in buyers)
        {
            var buyer = new LiveBuyer(buyerId, [.. byBuyer[buyerId]], Interlocked.Increment(ref _changes));
            if (model is not null && buyer.HistoryFor(model, Weights) is null)
                _buyers.TryRemove(buyerId, out _);
            else
                _buyers[buyerId] = buyer;
        }
    }

    /// <summary>The buyers held now: the ones to re-read when a model swaps in.</summary>
    public IReadOnlyCollection<string> HeldBuyers() => [.. _buyers.Keys];

    /// <summary>What is held, buyer by buyer, as (product, kind) sorted: for diagnostics and tests comparing change sources.</summary>
    public IReadOnlyDictionary<string, (string Product, InteractionKind Kind)[]> Snapshot() =>
        _buyers.ToDictionary(
            entry => entry.Key,
            entry => entry.Value.Interactions.Select(i => (i.ProductId, i.Kind)).Order().ToArray(),
            StringComparer.Ordinal);

    /// <summary>Keeps at most <paramref name="max"/> buyers, forgetting those changed longest ago; returns how many were dropped.</summary>
    public int Trim(int max)
    {
        if (_buyers.Count <= max) return 0;
        var keepFrom = _buyers.Values.Select(b => b.Sequence).OrderDescending().ElementAt(max - 1);
        var dropped = 0;
        foreach (var entry in _buyers)
            if (entry.Value.Sequence < keepFrom && _buyers.TryRemove(entry))
                dropped++;
        return dropped;
    }

    /// <summary>One buyer's current interactions, and the history built from them for the last model asked about.</summary>
    private sealed class LiveBuyer(string buyerId, ShopInteraction[] interactions, long sequence)
    {
        private sealed record Built(RecommenderModel Model, BuyerHistory? History);

        private Built? _built;

        public IReadOnlyList<ShopInteraction> Interactions => interactions;

        /// <summary>Orders the entries for <see cref="Trim"/>: larger is more recent.</summary>
        public long Sequence { get; } = sequence;

        /// <summary>The history in <paramref name="model"/>'s product indices; null when it equals the model's own.</summary>
        public BuyerHistory? HistoryFor(RecommenderModel model, InteractionWeights weights)
        {
            if (Volatile.Read(ref _built) is { } built && ReferenceEquals(built.Model, model))
                return built.History;
            var history = Build(model, weights);
            Volatile.Write(ref _built, new Built(model, history));
            return history;
        }

        private BuyerHistory? Build(RecommenderModel model, InteractionWeights weights)
        {
            var entries = new List<(long Ticks, int Item, float Weight)>(interactions.Length);
            var unseen = new List<string>();
            foreach (var interaction in interactions)
            {
                // A product the model does not know cannot be scored; it is only kept out of the newest fallback.
                if (model.Products.TryGetIndex(interaction.ProductId, out var item))
                    entries.Add((interaction.CreatedAt.Ticks, item, weights.WeightOf(interaction.Kind)));
                else
                    unseen.Add(interaction.ProductId);
            }
            // Oldest first; the sort is total, so equal histories compare equal below.
            entries.Sort();

            if (unseen.Count == 0 && SameAsModel(model, entries)) return null;
            return new BuyerHistory(
                [.. entries.Select(e => e.Item)], [.. entries.Select(e => e.Ticks)], [.. entries.Select(e => e.Weight)]) { Unseen = [.. unseen] };
        }

        private bool SameAsModel(RecommenderModel model, List<(long Ticks, int Item, float Weight)> entries)
        {
            if (!model.Buyers.TryGetIndex(buyerId, out var buyer))
                return entries.Count == 0;
            var items = model.Histories.ItemsOf(buyer);
            if (items.Length != entries.Count) return false;
            var ticks = model.Histories.TicksOf(buyer);
            var stored = model.Histories.WeightsOf(buyer);
            var sorted = new List<(long, int, float)>(items.Length);
            for (var n = 0; n < items.Length; n++)
                sorted.Add((ticks[n], items[n], stored[n]));
            sorted.Sort();
            for (var n = 0; n < sorted.Count; n++)
                if (sorted[n] != entries[n]) return false;
            return true;
        }
    }
}
