using Microsoft.Extensions.Options;
using Recommender.Api.Observability;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Training.Data;

namespace Recommender.Api.Outcomes;

/// <summary>
/// Connects what was shown with what was bought: the list endpoints report every list served
/// (<see cref="ListServed"/>: Prometheus counters, and the products in <see cref="ImpressionMemory"/>
/// when the buyer is known), and the real-time change path reports every changed buyer's current
/// interactions (<see cref="Attribute"/>), which are credited to what was shown. Nothing here
/// touches a database. With <c>Attribution:Enabled=false</c> both do nothing.
/// </summary>
public sealed class OutcomeTracker(ImpressionMemory memory, RecommenderMetrics metrics, TimeProvider clock, IOptions<RecommenderOptions> options)
{
    private readonly bool _enabled = options.Value.Attribution.Enabled;

    public ImpressionMemory Memory => memory;

    /// <summary>A list was returned; <paramref name="buyerId"/> is null for a list nobody can be credited for (no buyer named).</summary>
    public void ListServed(string list, string? buyerId, string variant, RankedList ranked)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        if (!_enabled) return;
        var plus = ranked.Source.IndexOf('+');
        metrics.Shown(list, plus < 0 ? ranked.Source : ranked.Source[..plus], variant, ranked.ProductSources);
        if (buyerId is not null && ranked.Products.Count > 0)
            memory.Remember(buyerId, list, variant, new ProductIds(ranked.Products), ranked.ProductSources, clock.GetUtcNow());
    }

    /// <summary>The changed buyers' current interactions, as a change source read them: credits what they earned.</summary>
    public void Attribute(IReadOnlyList<ShopInteraction> interactions)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        if (!_enabled || interactions.Count == 0) return;
        foreach (var outcome in memory.Attribute(interactions))
            metrics.Attributed(outcome.List, outcome.Source, outcome.Variant, OutcomeName(outcome.Outcome), outcome.Revenue);
    }

    /// <summary>The label of an outcome: "order", "cart" or "wishlist".</summary>
    public static string OutcomeName(InteractionKind kind) => kind switch
    {
        InteractionKind.Order => "order",
        InteractionKind.Cart => "cart",
        _ => "wishlist",
    };

    /// <summary>The ids of a list's products, without copying them.</summary>
    private sealed class ProductIds(IReadOnlyList<ProductRow> rows) : IReadOnlyList<string>
    {
        public string this[int index] => rows[index].Id;
        public int Count => rows.Count;
        public IEnumerator<string> GetEnumerator() => rows.Select(r => r.Id).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
