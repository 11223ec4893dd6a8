#:project ../Recommender.Api/Recommender.Api.csproj
// The replication source's key map at the 2 M-item shop's size: `dotnet run bench/keymap-memory.cs -c Release`.
using Recommender.Api.RealTime.Replication;

// The key map as the 2 M-item shop fills it: 400 k carts and wishlists, 1.2 M cart items,
// 0.8 M wishlist items, 300 k orders, 900 k order items; ids and buyer ids as bench/big-shop.sh makes them.
var before = GC.GetTotalMemory(forceFullCollection: true);
var keys = new ShopKeyMap();
for (var n = 0; n < 400_000; n++) { keys.Load(ShopTable.Cart, "cart-u" + n, "u" + n); keys.Load(ShopTable.Wishlist, "wishlist-u" + n, "u" + n); }
for (var n = 0; n < 1_200_000; n++) keys.Load(ShopTable.CartItem, "ci" + n, "u" + (n % 400_000));
for (var n = 0; n < 800_000; n++) keys.Load(ShopTable.WishlistItem, "wi" + n, "u" + (n % 400_000));
for (var n = 0; n < 300_000; n++) keys.Load(ShopTable.Order, "o" + n, "u" + (n % 400_000));
for (var n = 0; n < 900_000; n++) keys.Load(ShopTable.OrderItem, "oi" + n, "u" + (n / 3 % 400_000));
keys.EndLoad();
var after = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"rows {keys.Rows:N0}, buyers {keys.Buyers:N0}: measured {(after - before) / 1048576.0:F1} MiB, estimated {keys.EstimatedBytes / 1048576.0:F1} MiB");
GC.KeepAlive(keys);
