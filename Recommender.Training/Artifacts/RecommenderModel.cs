using Recommender.Training.Matrix;

namespace Recommender.Training.Artifacts;

/// <summary>
/// A trained model as it is saved and served: the id maps, the latent factors (none for the
/// popularity model), every buyer's products (to exclude what a buyer already has) and the
/// popularity of each product (the fallback for buyers the model does not know).
/// Immutable once built; shared by every request thread.
/// </summary>
public sealed class RecommenderModel
{
    public RecommenderModel(
        ModelManifest manifest,
        IdMap buyers,
        IdMap products,
        FactorMatrix? buyerFactors,
        FactorMatrix? productFactors,
        CsrMatrix buyerProducts,
        float[] popularity)
    {
        if (buyerProducts.Rows != buyers.Count || buyerProducts.Columns != products.Count)
            throw new InvalidDataException("The buyer×product matrix does not match the id maps.");
        if (popularity.Length != products.Count)
            throw new InvalidDataException("There must be one popularity score per product.");
        if ((buyerFactors is null) != (productFactors is null))
            throw new InvalidDataException("Buyer and product factors come together or not at all.");
        if (buyerFactors is not null && productFactors is not null &&
            (buyerFactors.Rows != buyers.Count || productFactors.Rows != products.Count || buyerFactors.Factors != productFactors.Factors))
            throw new InvalidDataException("The factor matrices do not match the id maps.");

        Manifest = manifest;
        Buyers = buyers;
        Products = products;
        BuyerFactors = buyerFactors;
        ProductFactors = productFactors;
        BuyerProducts = buyerProducts;
        Popularity = popularity;
    }

    public ModelManifest Manifest { get; }
    public long Version => Manifest.Version;
    public IdMap Buyers { get; }
    public IdMap Products { get; }
    public FactorMatrix? BuyerFactors { get; }
    public FactorMatrix? ProductFactors { get; }

    /// <summary>Summed interaction weights, one row per buyer; its columns are what a buyer already has.</summary>
    public CsrMatrix BuyerProducts { get; }

    /// <summary>Summed interaction weight of each product over all buyers.</summary>
    public float[] Popularity { get; }

    public bool IsPersonalized => BuyerFactors is not null;
}
