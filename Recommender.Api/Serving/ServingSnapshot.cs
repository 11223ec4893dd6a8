using Recommender.Api.Catalog;
using Recommender.Api.Options;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Api.Serving;

/// <summary>
/// A model joined with the current product rows, precomputed once per change of either so the
/// request path only scores and picks: the row of each model product, a penalty of -∞ for
/// every product that cannot be shown (unsellable, or gone from the shop).
/// </summary>
public sealed class ServingSnapshot
{
    public ServingSnapshot(RecommenderModel model, ProductCatalog catalog, SellabilityRules rules)
    {
        Model = model;
        Catalog = catalog;
        var products = model.Products;
        Rows = new ProductRow?[products.Count];
        Penalty = new float[products.Count];
        for (var p = 0; p < products.Count; p++)
        {
            if (catalog.ById.TryGetValue(products[p], out var row) && rules.IsSellable(row))
                Rows[p] = row;
            else
                Penalty[p] = float.NegativeInfinity;
        }
    }

    public RecommenderModel Model { get; }
    public ProductCatalog Catalog { get; }

    /// <summary>The product row of each model product index; null where it cannot be shown.</summary>
    public ProductRow?[] Rows { get; }

    /// <summary>0 for a product that may be shown, -∞ for one that may not; added to every score.</summary>
    public float[] Penalty { get; }
}
