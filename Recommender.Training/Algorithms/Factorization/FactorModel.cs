using Recommender.Training.Artifacts;
using Recommender.Training.Matrix;
using Recommender.Training.Scoring;

namespace Recommender.Training.Algorithms.Factorization;

/// <summary>
/// What every factorization (ALS, SVD) shares: a vector per buyer and per product, a buyer's
/// score the dot product of the two, and similarity the cosine of product vectors (unit-length
/// copies computed once per model, on first use).
/// </summary>
public abstract class FactorModel : IFittedModel
{
    internal const string BuyerFactorsEntry = "buyer_factors.f32";
    internal const string ProductFactorsEntry = "product_factors.f32";

    private readonly Lazy<FactorMatrix> _normalizedProducts;

    protected FactorModel(LatentFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (factors.Buyers.Factors != factors.Products.Factors)
            throw new ArgumentException("Buyer and product vectors must have the same length.");
        Buyers = factors.Buyers;
        ProductFactors = factors.Products;
        _normalizedProducts = new(() => Normalized(ProductFactors));
    }

    public FactorMatrix Buyers { get; }
    public FactorMatrix ProductFactors { get; }

    /// <summary>Product vectors scaled to unit length (zero rows stay zero).</summary>
    public FactorMatrix NormalizedProducts => _normalizedProducts.Value;

    public abstract string Algorithm { get; }
    public abstract object Options { get; }
    public int Products => ProductFactors.Rows;
    public int Factors => ProductFactors.Factors;
    public bool IsPersonalized => true;

    public void CheckShape(int buyers, int products)
    {
        if (Buyers.Rows != buyers || ProductFactors.Rows != products)
            throw new InvalidDataException("The factors do not match the id maps.");
    }

    public BuyerProfile ProfileOf(int buyer, BuyerHistories histories) =>
        new FactorProfile(histories, buyer, Buyers.Data.AsMemory(buyer * Buyers.Stride, Buyers.Stride));

    public abstract BuyerProfile FoldIn(BuyerHistory history);

    /// <summary>Σ over the history's distinct products of their unit vectors: scores are summed cosines.</summary>
    public BuyerProfile SimilarToItems(BuyerHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var normalized = NormalizedProducts;
        var sum = new float[normalized.Stride];
        foreach (var item in history.Owned.Distinct())
            VectorMath.Axpy(1, normalized.Row(item), sum);
        return new FactorProfile(history, sum, cosine: true);
    }

    public void Score(BuyerProfile profile, Span<float> scores, bool rankEverything = false)
    {
        var own = Own(profile);
        ModelScorer.ScoreAll(own.Vector.Span, own.Cosine ? NormalizedProducts : ProductFactors, scores);
    }

    public void Score(BuyerProfile profile, ReadOnlySpan<int> candidates, Span<float> scores)
    {
        var own = Own(profile);
        var products = own.Cosine ? NormalizedProducts : ProductFactors;
        for (var n = 0; n < candidates.Length; n++)
            scores[n] = VectorMath.Dot(own.Vector.Span, products.Row(candidates[n]));
    }

    public bool SimilarItems(int product, Span<float> scores)
    {
        ModelScorer.ScoreAll(NormalizedProducts.Row(product), NormalizedProducts, scores);
        return true;
    }

    public IReadOnlyList<Contribution> Explain(BuyerProfile profile, int product, int top)
    {
        var own = Own(profile);
        return own.Cosine ? ExplainByCosine(own.History, product, top) : ExplainScore(own.History, product, top);
    }

    public void Write(ModelEntryWriter entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        entries.WriteArray<float>(BuyerFactorsEntry, Buyers.Data);
        entries.WriteArray<float>(ProductFactorsEntry, ProductFactors.Data);
    }

    /// <summary>How each history product contributed to a personalized score; a factorization's own decomposition.</summary>
    protected abstract IReadOnlyList<Contribution> ExplainScore(BuyerHistory history, int product, int top);

    /// <summary>Each distinct history product's cosine with <paramref name="product"/>: what a summed-cosine score is made of.</summary>
    protected IReadOnlyList<Contribution> ExplainByCosine(BuyerHistory history, int product, int top)
    {
        ArgumentNullException.ThrowIfNull(history);
        var target = NormalizedProducts.Row(product);
        var byProduct = new Dictionary<int, float>();
        foreach (var item in history.Owned.Distinct())
            byProduct[item] = VectorMath.Dot(NormalizedProducts.Row(item), target);
        return Contributions.Top(byProduct, top);
    }

    /// <summary>Reads the two factor matrices of a model with <paramref name="factors"/> factors (the entry reader checks every float is finite).</summary>
    internal static LatentFactors ReadFactors(ModelEntryReader entries, int factors)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var stride = FactorMatrix.StrideFor(factors);
        var buyers = new FactorMatrix(entries.Buyers, factors, entries.ReadArray<float>(BuyerFactorsEntry, (long)entries.Buyers * stride));
        var products = new FactorMatrix(entries.Products, factors, entries.ReadArray<float>(ProductFactorsEntry, (long)entries.Products * stride));
        return new LatentFactors(buyers, products);
    }

    protected static FactorProfile Own(BuyerProfile profile) => profile as FactorProfile
        ?? throw new ArgumentException($"A factorization cannot score a {profile?.GetType().Name ?? "null"} profile.", nameof(profile));

    private static FactorMatrix Normalized(FactorMatrix products)
    {
        var normalized = new FactorMatrix(products.Rows, products.Factors);
        for (var p = 0; p < products.Rows; p++)
        {
            var row = products.Row(p);
            var norm = MathF.Sqrt(VectorMath.Dot(row, row));
            if (norm > 0)
                VectorMath.Axpy(1 / norm, row, normalized.Row(p));
        }
        return normalized;
    }
}

/// <summary>
/// A buyer as a factorization sees them: a vector scored against the product vectors, or with
/// <see cref="Cosine"/> against their unit-length copies.
/// </summary>
public sealed class FactorProfile : BuyerProfile
{
    public FactorProfile(BuyerHistory history, ReadOnlyMemory<float> vector, bool cosine) : base(history)
    {
        Vector = vector;
        Cosine = cosine;
    }

    /// <summary>A trained buyer: their row of the buyer factors.</summary>
    public FactorProfile(BuyerHistories histories, int buyer, ReadOnlyMemory<float> vector) : base(histories, buyer) => Vector = vector;

    public ReadOnlyMemory<float> Vector { get; }
    public bool Cosine { get; }
}
