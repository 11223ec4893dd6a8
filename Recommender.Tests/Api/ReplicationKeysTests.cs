using Recommender.Api.RealTime.Replication;

namespace Recommender.Tests.Api;

/// <summary>The pieces of the replication source that need no database: the key map and when a slot counts as abandoned.</summary>
public sealed class ReplicationKeysTests
{
    [Fact]
    public void A_deleted_rows_key_finds_its_buyer_once()
    {
        var keys = new ShopKeyMap();
        keys.Remember(ShopTable.Cart, "c1", "alice");
        keys.Remember(ShopTable.CartItem, "i1", "alice");
        keys.Remember(ShopTable.WishlistItem, "i1", "bob"); // the same id in another table is another row

        Assert.Equal("alice", keys.Forget(ShopTable.CartItem, "i1"));
        Assert.Null(keys.Forget(ShopTable.CartItem, "i1"));
        Assert.Equal("bob", keys.BuyerOf(ShopTable.WishlistItem, "i1"));
        Assert.Equal("alice", keys.BuyerOf(ShopTable.Cart, "c1"));
        Assert.Equal(2, keys.Rows);
        Assert.Equal(2, keys.Buyers);
    }

    [Fact]
    public void Rows_loaded_at_start_up_and_rows_added_later_are_found_forgotten_and_remembered_again()
    {
        var keys = new ShopKeyMap();
        keys.Load(ShopTable.Cart, "c1", "alice");
        keys.Load(ShopTable.CartItem, "i1", "alice");
        keys.Load(ShopTable.OrderItem, "oi1", "bob");
        keys.EndLoad();
        keys.Remember(ShopTable.CartItem, "i2", "carol");

        Assert.Equal(4, keys.Rows);
        Assert.Equal("alice", keys.Forget(ShopTable.CartItem, "i1"));
        Assert.Null(keys.BuyerOf(ShopTable.CartItem, "i1"));
        Assert.Equal("carol", keys.Forget(ShopTable.CartItem, "i2"));
        Assert.Equal(2, keys.Rows);

        keys.Remember(ShopTable.CartItem, "i1", "dave");   // an id used again
        Assert.Equal("dave", keys.BuyerOf(ShopTable.CartItem, "i1"));
        Assert.Equal("bob", keys.BuyerOf(ShopTable.OrderItem, "oi1"));
        Assert.Equal(3, keys.Rows);
    }

    [Fact]
    public void A_slot_is_abandoned_only_after_being_unused_for_the_whole_setting_without_a_break()
    {
        var abandoned = new AbandonedSlots(TimeSpan.FromMinutes(30));
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Empty(abandoned.ToDrop(["a", "b"], start));
        Assert.Empty(abandoned.ToDrop(["a"], start.AddMinutes(20)));        // b came back
        Assert.Empty(abandoned.ToDrop(["a", "b"], start.AddMinutes(29)));   // b unused again, from now
        Assert.Equal(["a"], abandoned.ToDrop(["a", "b"], start.AddMinutes(30)));
        Assert.Equal(["a", "b"], abandoned.ToDrop(["a", "b"], start.AddMinutes(59)).Order());
    }
}
