using Recommender.Training.Data;

namespace Recommender.Api.Dashboard;

/// <summary>
/// The kind of a served history entry. The served history keeps each interaction's weight, not
/// its kind, so the kind is the one whose configured weight (<c>Training:Weights</c>) is nearest;
/// where two kinds share a weight, the stronger signal (order, then cart) is named.
/// </summary>
public static class HistoryKinds
{
    public static InteractionKind KindOf(float weight, InteractionWeights weights)
    {
        InteractionKind[] kinds = [InteractionKind.Order, InteractionKind.Cart, InteractionKind.Wishlist];
        return kinds.MinBy(kind => Math.Abs(weights.WeightOf(kind) - weight));
    }

    public static string NameOf(InteractionKind kind) => kind switch
    {
        InteractionKind.Order => "order",
        InteractionKind.Cart => "cart",
        InteractionKind.Wishlist => "wishlist",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
