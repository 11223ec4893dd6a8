#!/usr/bin/env bash
# Delay from a cart insert (and delete) in the shop's PostgreSQL to a changed answer.
#
#   bench/realtime-delay.sh [--url http://127.0.0.1:5082] [--db postgresql://…/shop_beauty] [--tries 20]
#
# For buyers u1, u2, …: asks for the top 5, puts the first product in the buyer's cart (creating
# the cart when there is none), asks every ~10 ms until the product is gone, then deletes the
# row and asks until the product is back (then deletes a cart it created). Each delay runs from
# psql's return (the change is committed) to the first answer that shows it; every check is one
# curl, ~10 ms apart, so the figure is at most a check's time late. Prints each delay, then the
# median and worst of each. The shop is left as it was: only rows it inserted are deleted.
set -euo pipefail
url="http://127.0.0.1:5082"
db="postgresql://recommender:recommender@127.0.0.1:5432/shop_beauty"
tries=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --tries) tries="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

sql() { psql "$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
first_product() { curl -s "$url/recommendations/$1?top_k=5" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4; }
lists() { curl -s "$url/recommendations/$1?top_k=5" | grep -q "\"id\":\"$2\""; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Waits until the answer for buyer $1 has ($3 = yes) or lacks ($3 = no) product $2; prints ms since $4.
wait_for() {
  while true; do
    if lists "$1" "$2"; then has=yes; else has=no; fi
    [[ "$has" == "$3" ]] && { echo $(( $(now_ms) - $4 )); return; }
    (( $(now_ms) - $4 > 30000 )) && { echo "timeout"; return; }
    sleep 0.01
  done
}

inserts=(); deletes=()
for (( n = 1; n <= tries; n++ )); do
  buyer="u$n"
  product="$(first_product "$buyer")"
  [[ -n "$product" ]] || { echo "no answer for $buyer" >&2; exit 1; }
  item="rt-bench-$n-$$"
  created_cart=no
  if [[ -z "$(sql "SELECT 1 FROM \"Cart\" WHERE \"buyerId\" = '$buyer'")" ]]; then
    sql "INSERT INTO \"Cart\" (\"id\", \"buyerId\", \"createdAt\", \"updatedAt\") VALUES ('rt-bench-cart-$n-$$', '$buyer', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')"
    created_cart=yes
  fi
  sql "INSERT INTO \"CartItem\" (\"id\", \"cartId\", \"productId\", \"quantity\", \"createdAt\", \"updatedAt\")
       SELECT '$item', c.\"id\", '$product', 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' FROM \"Cart\" c WHERE c.\"buyerId\" = '$buyer'"
  start=$(now_ms)   # once psql returns, the row is committed: psql's own start-up (100-250 ms on a loaded machine) is not the service's delay
  inserted=$(wait_for "$buyer" "$product" no "$start")
  sql "DELETE FROM \"CartItem\" WHERE \"id\" = '$item'"
  start=$(now_ms)
  deleted=$(wait_for "$buyer" "$product" yes "$start")
  # After measuring: a deleted "Cart" row is not seen until the next training (see README).
  if [[ "$created_cart" == yes ]]; then sql "DELETE FROM \"Cart\" WHERE \"id\" = 'rt-bench-cart-$n-$$'"; fi
  echo "$buyer $product: insert → gone ${inserted} ms, delete → back ${deleted} ms"
  inserts+=("$inserted"); deletes+=("$deleted")
done

summary() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "median %s ms, worst %s ms (n=%d)\n", m, a[NR], NR }'; }
echo "insert: $(summary "${inserts[@]}")"
echo "delete: $(summary "${deletes[@]}")"
echo "rows left behind: $(sql "SELECT count(*) FROM \"CartItem\" WHERE \"id\" LIKE 'rt-bench-%'") items, $(sql "SELECT count(*) FROM \"Cart\" WHERE \"id\" LIKE 'rt-bench-%'") carts"
