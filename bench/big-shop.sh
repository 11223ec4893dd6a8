#!/usr/bin/env bash
# A generated Prisma-style shop in its own PostgreSQL database, for the real-time benchmarks at
# scale (README, Real time): 2 M open cart and wishlist items by default.
#
#   bench/big-shop.sh create [--db shop_big] [--items 2000000]   # creates the database (needs CREATEDB)
#   bench/big-shop.sh drop   [--db shop_big]
#
# Generated in SQL, in the server, in a few minutes: 50 k products with Zipf-like popularity
# (product = floor(P · u³)), 400 k buyers; 60 % of the items in carts, 40 % on wishlists, one cart
# and one wishlist per buyer who has items; 300 k delivered orders of 3 items. Ids are text, as
# Prisma's cuids are. The same schema as the tests (Recommender.Tests/Fixtures/shop-schema.postgres.sql).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
server="postgresql://recommender:recommender@127.0.0.1:5432"
db=shop_big
items=2000000
command="${1:-}"; shift || true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --items) items="$2"; shift 2 ;;
    --server) server="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
psql_in() { psql "$server/$1" -qAtX -v ON_ERROR_STOP=1 "${@:2}"; }

case "$command" in
  drop)
    psql_in postgres -c "DROP DATABASE IF EXISTS $db"
    echo "dropped $db" ;;
  create)
    psql_in postgres -c "CREATE DATABASE $db"
    psql_in "$db" -f Recommender.Tests/Fixtures/shop-schema.postgres.sql
    carts=$(( items * 6 / 10 )); wishes=$(( items - carts ))
    time psql_in "$db" <<SQL
INSERT INTO "Product" ("id", "name", "price", "images", "status", "sellerId", "updatedAt")
SELECT 'p' || n, 'Product ' || n, 5 + n % 200, ARRAY['p' || n || '.png'], 'ACTIVE', 'seller-' || n % 500, now()
FROM generate_series(0, 49999) n;
INSERT INTO "Cart" ("id", "buyerId", "createdAt", "updatedAt")
SELECT 'cart-u' || n, 'u' || n, now() - interval '30 days', now() - interval '30 days' FROM generate_series(0, 399999) n;
INSERT INTO "Wishlist" ("id", "buyerId", "createdAt", "updatedAt")
SELECT 'wishlist-u' || n, 'u' || n, now() - interval '30 days', now() - interval '30 days' FROM generate_series(0, 399999) n;
INSERT INTO "CartItem" ("id", "cartId", "productId", "quantity", "createdAt", "updatedAt")
SELECT 'ci' || n, 'cart-u' || (n % 400000), 'p' || floor(50000 * random() ^ 3)::int, 1,
       now() - interval '1 day' * random() * 30, now() - interval '1 day' * random() * 30
FROM generate_series(0, $carts - 1) n;
INSERT INTO "WishlistItem" ("id", "wishlistId", "productId", "createdAt")
SELECT 'wi' || n, 'wishlist-u' || (n % 400000), 'p' || floor(50000 * random() ^ 3)::int, now() - interval '1 day' * random() * 30
FROM generate_series(0, $wishes - 1) n;
INSERT INTO "Order" ("id", "buyerId", "status", "createdAt", "updatedAt")
SELECT 'o' || n, 'u' || (n % 400000), 'DELIVERED', now() - interval '1 day' * (30 + random() * 300), now() - interval '30 days'
FROM generate_series(0, 299999) n;
INSERT INTO "OrderItem" ("id", "orderId", "productId", "quantity", "price", "createdAt")
SELECT 'oi' || n, 'o' || (n / 3), 'p' || floor(50000 * random() ^ 3)::int, 1, 10, now() - interval '40 days'
FROM generate_series(0, 899999) n;
ANALYZE "Product", "Cart", "Wishlist", "CartItem", "WishlistItem", "Order", "OrderItem";
SQL
    psql_in "$db" -c "SELECT 'cart items ' || (SELECT count(*) FROM \"CartItem\") || ', wishlist items ' || (SELECT count(*) FROM \"WishlistItem\") || ', orders ' || (SELECT count(*) FROM \"Order\") || ', order items ' || (SELECT count(*) FROM \"OrderItem\") || ', size ' || pg_size_pretty(pg_database_size(current_database()))" ;;
  *) echo "usage: $0 create|drop [--db NAME] [--items N]" >&2; exit 2 ;;
esac
