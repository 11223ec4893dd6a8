using Recommender.Training.Data;

namespace Recommender.Api.Catalog;

/// <summary>Which products may be shown at all. Defaults: no drafts, only ACTIVE, nothing OUT_OF_STOCK.</summary>
public sealed class SellabilityRules
{
    public bool ExcludeDrafts { get; set; } = true;

    /// <summary>Product statuses that may be shown; empty means any status.</summary>
    public string[] SellableStatuses { get; set; } = ["ACTIVE"];

    public string[] UnsellableStockStatuses { get; set; } = ["OUT_OF_STOCK"];

    public bool IsSellable(ProductRow product) =>
        !(ExcludeDrafts && product.IsDraft)
        && (SellableStatuses.Length == 0 || SellableStatuses.Contains(product.Status, StringComparer.Ordinal))
        && !UnsellableStockStatuses.Contains(product.StockStatus, StringComparer.Ordinal);
}
