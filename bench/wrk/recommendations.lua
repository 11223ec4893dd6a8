-- wrk script: GET /recommendations/u{N}?top_k=K for random buyers N in [min, max], or with
-- LIST=similar GET /products/p{N}/similar?top_k=K (N a product in [min, max]; 1 12101 for
-- amazon-beauty.txt), or with LIST=trending GET /products/trending?top_k=K.
--
--   wrk -t2 -c16 -d30s --latency -s bench/wrk/recommendations.lua http://127.0.0.1:5080 -- 1 22363 5
--
-- Arguments after "--" (each optional): min max top_k. Environment fallbacks:
--   BUYER_MIN (1), BUYER_MAX (22363, the users of amazon-beauty.txt), TOP_K (5),
--   UNKNOWN_SHARE (0): share of requests for buyers the shop has never seen (cold start).
--   OFFSET (0): ask for the page starting there (&offset=N), to measure deep pages.
--   API_KEY: sent as the X-API-Key header when set (a service with keys configured needs it).
-- At the end it prints the responses per status class; every non-2xx counts as an error.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function number_arg(value, env, default)
  local n = tonumber(value or os.getenv(env) or default)
  if n == nil then error(env .. " must be a number") end
  return n
end

function init(args)
  buyer_min = math.floor(number_arg(args[1], "BUYER_MIN", 1))
  buyer_max = math.floor(number_arg(args[2], "BUYER_MAX", 22363))
  top_k = math.floor(number_arg(args[3], "TOP_K", 5))
  unknown_share = number_arg(nil, "UNKNOWN_SHARE", 0)
  offset = math.floor(number_arg(nil, "OFFSET", 0))
  page = "?top_k=" .. top_k .. (offset > 0 and ("&offset=" .. offset) or "")
  list = os.getenv("LIST") or "recommendations"
  if list ~= "recommendations" and list ~= "similar" and list ~= "trending" then
    error("LIST must be recommendations, similar or trending")
  end
  if buyer_max < buyer_min then error("BUYER_MAX < BUYER_MIN") end
  math.randomseed(os.time() * 100 + id)
  s1, s2, s3, s4, s5, other = 0, 0, 0, 0, 0, 0
  local key = os.getenv("API_KEY")
  headers = (key ~= nil and key ~= "") and { ["X-API-Key"] = key } or nil
end

function request()
  if list == "similar" then
    return wrk.format("GET", "/products/p" .. math.random(buyer_min, buyer_max) .. "/similar" .. page, headers)
  elseif list == "trending" then
    return wrk.format("GET", "/products/trending" .. page, headers)
  end
  local buyer
  if unknown_share > 0 and math.random() < unknown_share then
    buyer = "u-unknown-" .. math.random(1, 1000000)
  else
    buyer = "u" .. math.random(buyer_min, buyer_max)
  end
  return wrk.format("GET", "/recommendations/" .. buyer .. page, headers)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then s2 = s2 + 1
  elseif status >= 400 and status < 500 then s4 = s4 + 1
  elseif status >= 500 and status < 600 then s5 = s5 + 1
  elseif status >= 300 and status < 400 then s3 = s3 + 1
  elseif status >= 100 and status < 200 then s1 = s1 + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local totals = { s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + (thread:get(name) or 0) end
  end
  local all = totals.s1 + totals.s2 + totals.s3 + totals.s4 + totals.s5 + totals.other
  io.write("-- recommendations.lua --\n")
  local first = threads[1]
  io.write(string.format("%s: buyers u%d..u%d, top_k=%d, offset=%d, unknown share %.2f\n",
    first:get("list"), first:get("buyer_min"), first:get("buyer_max"), first:get("top_k"), first:get("offset"), first:get("unknown_share")))
  io.write(string.format("status 2xx: %d\nstatus 3xx: %d\nstatus 4xx: %d\nstatus 5xx: %d\nstatus other: %d\n",
    totals.s2, totals.s3, totals.s4, totals.s5, totals.s1 + totals.other))
  io.write(string.format("non-2xx: %d of %d\n", all - totals.s2, all))
end
