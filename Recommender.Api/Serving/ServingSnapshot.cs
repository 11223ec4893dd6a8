using Recommender.Api.Catalog;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Api.Serving;

/// <summary>
/// A model joined with the current product rows, precomputed once per change of either so the
/// request path only scores and picks: the row of each product, a penalty of -∞ for every
/// product that cannot be shown (unsellable, or gone from the shop), and the newest-first order.
/// Indices below the model's product count are the model's; the sellable products the model has
/// never seen (nobody has interacted with them yet) follow, so the <see cref="ListSource.Newest"/>
/// fallback can show them.
/// </summary>
public sealed class ServingSnapshot
{
    public ServingSnapshot(RecommenderModel model, ProductCatalog catalog, SellabilityRules rules)
    {
        Model = model;
        Catalog = catalog;
        var products = model.Products;
        var unseen = catalog.ById.Values
            .Where(row => !products.TryGetIndex(row.Id, out _) && rules.IsSellable(row))
            .OrderBy(row => row.Id, StringComparer.Ordinal)
            .ToArray();
        ProductCount = products.Count + unseen.Length;
        Rows = new ProductRow?[ProductCount];
        Penalty = new float[ProductCount];
        for (var p = 0; p < products.Count; p++)
        {
            if (catalog.ById.TryGetValue(products[p], out var row) && rules.IsSellable(row))
                Rows[p] = row;
            else
                Penalty[p] = float.NegativeInfinity;
        }
        unseen.CopyTo(Rows, products.Count);
        _unseenIndex = new Dictionary<string, int>(unseen.Length, StringComparer.Ordinal);
        for (var n = 0; n < unseen.Length; n++) _unseenIndex[unseen[n].Id] = products.Count + n;
        Newest = NewestFirst(Rows);
        _content = new Lazy<ContentNeighbours>(() => new ContentNeighbours(Rows,
            [.. Enumerable.Range(0, ProductCount).Select(p => p >= products.Count || model.Popularity[p] == 0)], Newest));
    }

    /// <summary>The same snapshot over a fresh read of the same rows (only <see cref="Catalog"/>, hence its load time, differs).</summary>
    private ServingSnapshot(ServingSnapshot same, ProductCatalog catalog)
    {
        Model = same.Model;
        Catalog = catalog;
        ProductCount = same.ProductCount;
        Rows = same.Rows;
        Penalty = same.Penalty;
        Newest = same.Newest;
        _unseenIndex = same._unseenIndex;
        _content = same._content;
    }

    /// <summary>This snapshot over <paramref name="sameRows"/>, a fresh read of the very rows it was built from: nothing is rebuilt.</summary>
    public ServingSnapshot WithCatalog(ProductCatalog sameRows) => new(this, sameRows);

    private readonly Lazy<ContentNeighbours> _content;

    /// <summary>
    /// Products like others by category, seller, price and attributes; built on first use, which
    /// <see cref="ServingState"/> makes before a snapshot serves, so no request waits for it.
    /// </summary>
    public ContentNeighbours Content => _content.Value;

    internal bool ContentBuilt => _content.IsValueCreated;

    private readonly Dictionary<string, int> _unseenIndex;

    public RecommenderModel Model { get; }
    public ProductCatalog Catalog { get; }

    /// <summary>The model's products, then the sellable products it has not seen.</summary>
    public int ProductCount { get; }

    /// <summary>The product row of each product index; null where it cannot be shown.</summary>
    public ProductRow?[] Rows { get; }

    /// <summary>0 for a product that may be shown, -∞ for one that may not; added to every score.</summary>
    public float[] Penalty { get; }

    /// <summary>
    /// A score per product that orders them newest first by <c>createdAt</c> (ties: lower id
    /// first; no <c>createdAt</c>: last); -∞ for a product that cannot be shown.
    /// </summary>
    public float[] Newest { get; }

    /// <summary>The index of a sellable product the model has not seen; false for any other id.</summary>
    public bool TryGetUnseenIndex(string productId, out int index) => _unseenIndex.TryGetValue(productId, out index);

    private static float[] NewestFirst(ProductRow?[] rows)
    {
        var scores = new float[rows.Length];
        var shown = Enumerable.Range(0, rows.Length).Where(p => rows[p] is not null)
            .OrderBy(p => rows[p]!.CreatedAt ?? DateTime.MinValue)
            .ThenByDescending(p => rows[p]!.Id, StringComparer.Ordinal)
            .ToArray();
        Array.Fill(scores, float.NegativeInfinity);
        // Ranks are exact in a float up to 2^24 products.
        for (var rank = 0; rank < shown.Length; rank++) scores[shown[rank]] = rank + 1;
        return scores;
    }
}
