using Recommender.Api.Dashboard;
using Recommender.Training.Data;

namespace Recommender.Tests.Dashboard;

public sealed class HistoryKindsTests
{
    [Theory]
    [InlineData(1.0f, InteractionKind.Order)]
    [InlineData(0.5f, InteractionKind.Cart)]
    [InlineData(0.3f, InteractionKind.Wishlist)]
    public void The_kind_is_read_back_from_its_configured_weight(float weight, InteractionKind kind) =>
        Assert.Equal(kind, HistoryKinds.KindOf(weight, new InteractionWeights()));

    [Fact]
    public void Configured_weights_are_used_not_the_defaults()
    {
        var weights = new InteractionWeights { Order = 2f, Cart = 1f, Wishlist = 0.5f };

        Assert.Equal(InteractionKind.Cart, HistoryKinds.KindOf(1f, weights));
        Assert.Equal(InteractionKind.Order, HistoryKinds.KindOf(2f, weights));
    }

    [Fact]
    public void Kinds_sharing_a_weight_are_named_as_the_stronger_signal()
    {
        var weights = new InteractionWeights { Order = 1f, Cart = 1f, Wishlist = 1f };

        Assert.Equal(InteractionKind.Order, HistoryKinds.KindOf(1f, weights));
    }
}
