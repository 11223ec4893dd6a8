using System.Text.Json;

namespace Recommender.Training.Data;

/// <summary>
/// A "Product" row exactly as the shop stores it, kept as UTF-8 JSON so that a column the shop
/// adds later is served without a code change, plus the few fields the service filters on.
/// </summary>
public sealed class ProductRow
{
    private ProductRow(string id, byte[] json, bool isDraft, string? status, string? stockStatus, double price, string? categoryId, string? sellerId,
        DateTime? createdAt, double? rating, double? reviewCount, double? discount)
    {
        Rating = rating;
        ReviewCount = reviewCount;
        Discount = discount;
        CreatedAt = createdAt;
        Id = id;
        Json = json;
        IsDraft = isDraft;
        Status = status;
        StockStatus = stockStatus;
        Price = price;
        CategoryId = categoryId;
        SellerId = sellerId;
    }

    public string Id { get; }

    /// <summary>The row as one JSON object, every column under its own name.</summary>
    public byte[] Json { get; }

    public bool IsDraft { get; }
    public string? Status { get; }
    public string? StockStatus { get; }
    public double Price { get; }
    public string? CategoryId { get; }
    public string? SellerId { get; }

    /// <summary>When the product was listed (UTC); null when the row has no readable <c>createdAt</c>.</summary>
    public DateTime? CreatedAt { get; }

    /// <summary>The product's average rating; null when the shop has no such column.</summary>
    public double? Rating { get; }

    public double? ReviewCount { get; }

    public double? Discount { get; }

    /// <summary>Reads the filtered fields out of a row's JSON; a row without an id is rejected.</summary>
    public static ProductRow FromJson(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        string? id = null, status = null, stockStatus = null, categoryId = null, sellerId = null;
        var isDraft = false;
        var price = 0.0;
        DateTime? createdAt = null;
        double? rating = null, reviewCount = null, discount = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new InvalidDataException("A product row must be a JSON object.");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "id": id = StringOrNull(ref reader); break;
                case "status": status = StringOrNull(ref reader); break;
                case "stockStatus": stockStatus = StringOrNull(ref reader); break;
                case "categoryId": categoryId = StringOrNull(ref reader); break;
                case "sellerId": sellerId = StringOrNull(ref reader); break;
                case "isDraft": isDraft = reader.TokenType == JsonTokenType.True; break;
                case "createdAt":
                    // Prisma's TIMESTAMP(3) has no zone and holds UTC; a value with an offset is converted.
                    createdAt = reader.TokenType == JsonTokenType.String && reader.TryGetDateTime(out var at)
                        ? at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : at.ToUniversalTime()
                        : null;
                    if (reader.TokenType != JsonTokenType.String) reader.Skip();
                    break;
                case "price": price = NumberOrNull(ref reader) ?? 0.0; break;
                case "rating": rating = NumberOrNull(ref reader); break;
                case "reviewCount": reviewCount = NumberOrNull(ref reader); break;
                case "discount": discount = NumberOrNull(ref reader); break;
                default: reader.Skip(); break;
            }
        }
        if (string.IsNullOrEmpty(id))
            throw new InvalidDataException("A product row has no id.");
        return new ProductRow(id, json, isDraft, status, stockStatus, price, categoryId, sellerId, createdAt, rating, reviewCount, discount);
    }

    private static double? NumberOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number) return reader.GetDouble();
        reader.Skip();
        return null;
    }

    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        return null;
    }
}
