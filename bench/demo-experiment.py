#!/usr/bin/env python3
"""A worked A/B experiment on the demo shop: simulated buyers who buy in their own taste.

Start the service on the demo shop with an experiment (see README, "Measuring what recommendations
earn"), then run this against it. For each of the first N demo buyers it asks the service for 5
recommendations (the buyer's variant answers), and the simulated buyer orders one of the products
shown with probability 0.15 when it is in one of their two favourite categories (read from their
history in the shop) and 0.01 otherwise, at most one order each, written into the demo shop's
SQLite file as the shop would (a PENDING "Order" and its "OrderItem" at the product's price).
After the service's real-time poll has read them it prints GET /experiments.

    python3 bench/demo-experiment.py --url http://127.0.0.1:5092 --shop /tmp/demo-exp/shop.db --buyers 3000
"""
import argparse
import datetime
import json
import random
import sqlite3
import time
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("--url", default="http://127.0.0.1:5092")
parser.add_argument("--shop", required=True, help="the demo shop's SQLite file (Recommender:DemoShopPath)")
parser.add_argument("--buyers", type=int, default=3000)
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()
if not args.url.startswith(("http://127.0.0.1", "http://localhost")):
    raise SystemExit("loopback URLs only")

rng = random.Random(args.seed)
shop = sqlite3.connect(args.shop)
category = dict(shop.execute('SELECT "id", "categoryId" FROM "Product"'))
price = dict(shop.execute('SELECT "id", "price" FROM "Product"'))


def taste(buyer):
    rows = shop.execute("""
        SELECT p."categoryId", count(*) FROM (
            SELECT oi."productId" AS product FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId" WHERE o."buyerId" = ?
            UNION ALL SELECT ci."productId" FROM "CartItem" ci JOIN "Cart" c ON c."id" = ci."cartId" WHERE c."buyerId" = ?
            UNION ALL SELECT wi."productId" FROM "WishlistItem" wi JOIN "Wishlist" w ON w."id" = wi."wishlistId" WHERE w."buyerId" = ?
        ) h JOIN "Product" p ON p."id" = h.product GROUP BY 1 ORDER BY 2 DESC LIMIT 2""", (buyer, buyer, buyer))
    return {row[0] for row in rows}


def get(path):
    with urllib.request.urlopen(args.url + path, timeout=10) as response:
        return json.load(response)


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


shown = {}
ordered = {}
for b in range(1, args.buyers + 1):
    buyer = f"buyer-{b:04d}"
    likes = taste(buyer)
    answer = get(f"/recommendations/{buyer}?top_k=5")
    variant = answer["variant"]
    shown[variant] = shown.get(variant, 0) + 1
    for product in (p["id"] for p in answer["recommended_products"]):
        if rng.random() < (0.15 if category.get(product) in likes else 0.01):
            order, at = f"exp-order-{b:05d}", now()
            shop.execute('INSERT INTO "Order" ("id", "buyerId", "status", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)',
                         (order, buyer, "PENDING", at, at))
            shop.execute('INSERT INTO "OrderItem" ("id", "orderId", "productId", "quantity", "price", "createdAt") VALUES (?, ?, ?, 1, ?, ?)',
                         (order + "-1", order, product, price[product], at))
            shop.commit()
            ordered[variant] = ordered.get(variant, 0) + 1
            break

print("buyers shown per variant:", shown, "orders placed per variant:", ordered)
time.sleep(3)   # the real-time poll reads the shop every second
print(json.dumps(get("/experiments"), indent=2))
