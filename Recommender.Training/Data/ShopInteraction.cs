namespace Recommender.Training.Data;

/// <summary>Where an implicit-feedback signal came from; each kind has its own weight.</summary>
public enum InteractionKind : byte
{
    Order = 0,
    Cart = 1,
    Wishlist = 2,
}

/// <summary>One row of the shop's interaction tables: a buyer touched a product at a time (UTC).</summary>
/// <param name="Revenue">
/// For an order item read by the change reads (<see cref="IShopDatabase.ReadBuyersAsync"/>,
/// <see cref="IShopDatabase.ReadChangesAsync"/>): its <c>price × quantity</c>, what outcome
/// attribution counts; 0 for cart and wishlist items and in the training read.
/// </param>
public readonly record struct ShopInteraction(string BuyerId, string ProductId, InteractionKind Kind, DateTime CreatedAt, double Revenue = 0);
