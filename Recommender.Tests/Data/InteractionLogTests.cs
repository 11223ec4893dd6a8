using Recommender.Training.Data;

namespace Recommender.Tests.Data;

public sealed class InteractionLogTests
{
    private static readonly DateTime At = new(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    private static InteractionLog Log(params ShopInteraction[] rows)
    {
        var log = new InteractionLog();
        foreach (var row in rows) log.Add(row);
        return log;
    }

    [Fact]
    public void Weights_follow_the_kind_and_repeated_interactions_add_up()
    {
        var log = Log(
            new ShopInteraction("alice", "mug", InteractionKind.Order, At),
            new ShopInteraction("alice", "mug", InteractionKind.Cart, At),
            new ShopInteraction("alice", "vase", InteractionKind.Wishlist, At),
            new ShopInteraction("bob", "vase", InteractionKind.Order, At),
            new ShopInteraction("bob", "vase", InteractionKind.Order, At.AddDays(1)));

        var matrix = log.ToMatrix(new InteractionWeights());

        Assert.Equal(2, matrix.Rows);
        Assert.Equal(2, matrix.Columns);
        var alice = log.Buyers.TryGetIndex("alice", out var a) ? a : -1;
        var bob = log.Buyers.TryGetIndex("bob", out var b) ? b : -1;
        var mug = log.Products.TryGetIndex("mug", out var m) ? m : -1;
        var vase = log.Products.TryGetIndex("vase", out var v) ? v : -1;
        Assert.Equal(1.5f, Value(matrix, alice, mug), 5);
        Assert.Equal(0.3f, Value(matrix, alice, vase), 5);
        Assert.Equal(2.0f, Value(matrix, bob, vase), 5);
        Assert.Equal(0f, Value(matrix, bob, mug));
    }

    [Fact]
    public void Weights_are_settings()
    {
        var log = Log(new ShopInteraction("alice", "mug", InteractionKind.Cart, At));

        var matrix = log.ToMatrix(new InteractionWeights { Cart = 2.5f });

        Assert.Equal(2.5f, matrix.Values[0]);
    }

    [Fact]
    public void The_fingerprint_ignores_row_order_but_sees_any_change()
    {
        ShopInteraction[] rows =
        [
            new("alice", "mug", InteractionKind.Order, At),
            new("bob", "vase", InteractionKind.Cart, At),
            new("carol", "mug", InteractionKind.Wishlist, At),
        ];

        var original = Log(rows).Fingerprint;

        Assert.Equal(original, Log([.. rows.Reverse()]).Fingerprint);
        Assert.NotEqual(original, Log(rows[..2]).Fingerprint);
        Assert.NotEqual(original, Log([rows[0], rows[1], rows[2] with { Kind = InteractionKind.Cart }]).Fingerprint);
        Assert.NotEqual(original, Log([rows[0], rows[1], rows[2] with { CreatedAt = At.AddSeconds(1) }]).Fingerprint);
        Assert.NotEqual(original, Log([rows[0], rows[1], rows[2] with { ProductId = "vase" }]).Fingerprint);
    }

    private static float Value(Recommender.Training.Matrix.CsrMatrix matrix, int row, int column)
    {
        var at = matrix.RowIndices(row).IndexOf(column);
        return at < 0 ? 0f : matrix.RowValues(row)[at];
    }
}
