using Recommender.Training.Matrix;

namespace Recommender.Training.Data;

/// <summary>
/// Every interaction read from the shop, column by column, with buyer and product ids mapped
/// to dense indices. Rows are kept one per shop row (not yet summed) so that later steps can
/// weigh them by kind and age; <see cref="ToMatrix"/> sums them into the buyer×product matrix.
/// </summary>
public sealed class InteractionLog
{
    private readonly List<int> _buyer = [];
    private readonly List<int> _product = [];
    private readonly List<InteractionKind> _kind = [];
    private readonly List<long> _ticks = [];
    private readonly List<ulong> _buyerIdHash = [];
    private readonly List<ulong> _productIdHash = [];
    private ulong _fingerprintSum;

    public IdMap Buyers { get; } = new();
    public IdMap Products { get; } = new();
    public int Count => _buyer.Count;

    /// <summary>
    /// A hash of the whole log that does not depend on the order rows arrive in (a sum of
    /// per-row hashes), so an unchanged shop gives an unchanged fingerprint and no retraining.
    /// </summary>
    public string Fingerprint => $"{_fingerprintSum:x16}-{Count:x}";

    /// <summary>What the shop says of each product of <see cref="Products"/>; null until <see cref="Describe"/> is given the rows.</summary>
    public ProductContent? Content { get; private set; }

    /// <summary>Takes the shop's product rows as what is known of the products read so far (their content for the ranker).</summary>
    public void Describe(IReadOnlyDictionary<string, ProductRow> rows) => Content = ProductContent.Of(Products, rows);

    public ReadOnlySpan<int> BuyerIndices => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_buyer);
    public ReadOnlySpan<int> ProductIndices => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_product);
    public ReadOnlySpan<InteractionKind> Kinds => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_kind);
    public ReadOnlySpan<long> CreatedAtTicks => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_ticks);

    public static async Task<InteractionLog> ReadAsync(IShopDatabase shop, InteractionWeights weights, CancellationToken cancellationToken)
    {
        var log = new InteractionLog();
        await foreach (var interaction in shop.ReadInteractionsAsync(weights.CountedOrderStatuses, cancellationToken))
            log.Add(interaction);
        return log;
    }

    public void Add(in ShopInteraction interaction)
    {
        var buyer = IndexOf(Buyers, _buyerIdHash, interaction.BuyerId);
        var product = IndexOf(Products, _productIdHash, interaction.ProductId);
        _buyer.Add(buyer);
        _product.Add(product);
        _kind.Add(interaction.Kind);
        _ticks.Add(interaction.CreatedAt.Ticks);
        var row = StableHash.Mix(_buyerIdHash[buyer] * 0x9E3779B97F4A7C15UL
            ^ StableHash.Mix(_productIdHash[product] + (ulong)interaction.Kind)
            ^ (ulong)interaction.CreatedAt.Ticks);
        _fingerprintSum = unchecked(_fingerprintSum + row);
    }

    /// <summary>The buyer×product matrix of summed weights: several interactions add up.</summary>
    public CsrMatrix ToMatrix(InteractionWeights weights)
    {
        var kindWeight = new[] { weights.Order, weights.Cart, weights.Wishlist };
        var values = new float[Count];
        var kinds = Kinds;
        for (var n = 0; n < values.Length; n++)
            values[n] = kindWeight[(int)kinds[n]];
        return CsrMatrix.FromCoordinates(Buyers.Count, Products.Count, BuyerIndices, ProductIndices, values);
    }

    private static int IndexOf(IdMap map, List<ulong> hashes, string id)
    {
        var index = map.GetOrAdd(id);
        if (index == hashes.Count)
            hashes.Add(StableHash.Of(id));
        return index;
    }
}
