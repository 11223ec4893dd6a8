namespace Recommender.Training.Data;

/// <summary>
/// How much each kind of interaction says about a buyer's taste, and which order statuses count.
/// The defaults are the original service's: an order 1.0, a cart item 0.5, a wishlist item 0.3.
/// </summary>
public sealed class InteractionWeights
{
    public float Order { get; set; } = 1.0f;
    public float Cart { get; set; } = 0.5f;
    public float Wishlist { get; set; } = 0.3f;

    /// <summary>Order statuses whose items count as purchases; a cancelled order says little.</summary>
    public string[] CountedOrderStatuses { get; set; } = ["PENDING", "CONFIRMED", "SHIPPED", "DELIVERED"];

    public float WeightOf(InteractionKind kind) => kind switch
    {
        InteractionKind.Order => Order,
        InteractionKind.Cart => Cart,
        InteractionKind.Wishlist => Wishlist,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
