namespace Recommender.Training.Data;

/// <summary>Where an implicit-feedback signal came from; each kind has its own weight.</summary>
public enum InteractionKind : byte
{
    Order = 0,
    Cart = 1,
    Wishlist = 2,
}

/// <summary>One row of the shop's interaction tables: a buyer touched a product at a time (UTC).</summary>
public readonly record struct ShopInteraction(string BuyerId, string ProductId, InteractionKind Kind, DateTime CreatedAt);
