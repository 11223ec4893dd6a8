using Recommender.Training.Artifacts;
using Recommender.Training.Matrix;

namespace Recommender.Training.Data;

/// <summary>
/// What the shop says of each product, by model product index: its category, seller, price,
/// rating, review count, discount and listing date. The ranker compares candidates with a
/// buyer's history on these. A product the shop no longer lists, or a column the shop lacks
/// (a benchmark file has none), is <see cref="Unknown"/> (−1 for a category or seller, 0 for a
/// listing date): a feature of it is then absent, never an error. Immutable once built.
/// </summary>
public sealed class ProductContent
{
    /// <summary>A number the shop does not give.</summary>
    public const float Unknown = float.NegativeInfinity;

    private const string CategoryEntry = "category.i32";
    private const string SellerEntry = "seller.i32";
    private const string PriceEntry = "price.f32";
    private const string RatingEntry = "rating.f32";
    private const string ReviewCountEntry = "reviews.f32";
    private const string DiscountEntry = "discount.f32";
    private const string ListedEntry = "listed.i64";

    private ProductContent(int[] category, int[] seller, float[] price, float[] rating, float[] reviewCount, float[] discount, long[] listedTicks)
    {
        Category = category;
        Seller = seller;
        Price = price;
        Rating = rating;
        ReviewCount = reviewCount;
        Discount = discount;
        ListedTicks = listedTicks;
        Categories = category.Length == 0 ? 0 : category.Max() + 1;
    }

    /// <summary>Dense category indices (−1: none).</summary>
    public int[] Category { get; }

    /// <summary>Dense seller indices (−1: none).</summary>
    public int[] Seller { get; }

    public float[] Price { get; }
    public float[] Rating { get; }
    public float[] ReviewCount { get; }
    public float[] Discount { get; }

    /// <summary>When each product was listed (UTC ticks), 0 when unknown.</summary>
    public long[] ListedTicks { get; }

    /// <summary>How many categories there are (0 when the shop has none).</summary>
    public int Categories { get; }

    public int Products => Category.Length;

    /// <summary>Nothing known of any product: what a benchmark file gives.</summary>
    public static ProductContent None(int products) => Of(products, _ => null);

    /// <summary>The content of each row, by its index (a null row is unknown).</summary>
    public static ProductContent Of(IReadOnlyList<ProductRow?> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Of(rows.Count, p => rows[p]);
    }

    /// <summary>The content of each product of <paramref name="products"/> from the shop's rows (a product without a row is unknown).</summary>
    public static ProductContent Of(IdMap products, IReadOnlyDictionary<string, ProductRow> rows)
    {
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(rows);
        return Of(products.Count, p => rows.GetValueOrDefault(products[p]));
    }

    private static ProductContent Of(int products, Func<int, ProductRow?> rowOf)
    {
        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        var sellers = new Dictionary<string, int>(StringComparer.Ordinal);
        var (category, seller) = (new int[products], new int[products]);
        var (price, rating, reviewCount, discount) = (new float[products], new float[products], new float[products], new float[products]);
        var listed = new long[products];
        for (var p = 0; p < products; p++)
        {
            var row = rowOf(p);
            category[p] = IndexOf(categories, row?.CategoryId);
            seller[p] = IndexOf(sellers, row?.SellerId);
            price[p] = row?.Price > 0 ? (float)row.Price : Unknown;
            rating[p] = Known(row?.Rating);
            reviewCount[p] = Known(row?.ReviewCount);
            discount[p] = Known(row?.Discount);
            listed[p] = row?.CreatedAt?.Ticks ?? 0;
        }
        return new ProductContent(category, seller, price, rating, reviewCount, discount, listed);
    }

    public void Write(ModelEntryWriter entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        entries.WriteArray<int>(CategoryEntry, Category);
        entries.WriteArray<int>(SellerEntry, Seller);
        entries.WriteArray<float>(PriceEntry, Price);
        entries.WriteArray<float>(RatingEntry, Rating);
        entries.WriteArray<float>(ReviewCountEntry, ReviewCount);
        entries.WriteArray<float>(DiscountEntry, Discount);
        entries.WriteArray<long>(ListedEntry, ListedTicks);
    }

    public static ProductContent Read(ModelEntryReader entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var products = entries.Products;
        var category = entries.ReadArray<int>(CategoryEntry, products);
        var seller = entries.ReadArray<int>(SellerEntry, products);
        if (category.Any(c => c < -1) || seller.Any(s => s < -1))
            throw new InvalidDataException("A product's category or seller index is below −1.");
        return new ProductContent(category, seller,
            entries.ReadArray<float>(PriceEntry, products, allowNoScore: true),
            entries.ReadArray<float>(RatingEntry, products, allowNoScore: true),
            entries.ReadArray<float>(ReviewCountEntry, products, allowNoScore: true),
            entries.ReadArray<float>(DiscountEntry, products, allowNoScore: true),
            entries.ReadArray<long>(ListedEntry, products));
    }

    private static float Known(double? value) => value is { } v && double.IsFinite(v) ? (float)v : Unknown;

    private static int IndexOf(Dictionary<string, int> map, string? key)
    {
        if (string.IsNullOrEmpty(key)) return -1;
        if (!map.TryGetValue(key, out var index)) map[key] = index = map.Count;
        return index;
    }
}
