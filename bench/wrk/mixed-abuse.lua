-- wrk script: good recommendation requests mixed with malformed and hostile ones, to check that
-- the service answers them with 4xx (never 5xx) and keeps its latency while doing so.
--
--   wrk -t2 -c16 -d30s --latency -s bench/wrk/mixed-abuse.lua http://127.0.0.1:5080 -- 1 22363
--
-- Arguments after "--" (optional): min max buyer number; env BUYER_MIN, BUYER_MAX as fallbacks.
-- ONLY=<kind>[,<kind>…] sends only those kinds (see KINDS below): wrk cannot tell which request a
-- response answers, so the per-class counts can be read per kind only when one kind is sent.
-- ONLY=abuse sends every kind but the three that should succeed (to run beside a good-only load).
-- API_KEY: sent as X-API-Key on every request but "bad_key" (which sends a wrong one).
-- At the end it prints the requests sent per kind and the responses per status class.

local KINDS = {
  -- name,            weight, what is sent
  { "good",            50 },  -- /recommendations/u{N}?top_k=5
  { "no_top_k",         5 },  -- /recommendations/u{N}            (the default top_k)
  { "long_id",          5 },  -- a 300-character buyer id
  { "top_k_abc",        5 },  -- ?top_k=abc
  { "top_k_zero",       5 },  -- ?top_k=0
  { "top_k_negative",   5 },  -- ?top_k=-3
  { "top_k_huge",       5 },  -- ?top_k=100000
  { "top_k_overflow",   3 },  -- ?top_k=99999999999999999999
  { "unknown_buyer",    5 },  -- a buyer id the shop has never seen (cold start, expected 2xx)
  { "odd_id",           4 },  -- URL-encoded quotes, spaces, NUL and a path traversal
  { "unknown_route",    5 },  -- /recommendation/u1, /recommendations, /admin, /recommendations/u1/x
  { "wrong_method",     3 },  -- POST and DELETE on the recommendation route
  { "huge_header",      2 },  -- one 40 KB header: over Kestrel's 32 KB limit, 431
  { "many_headers",     2 },  -- 120 headers: over Kestrel's 100, 431
  { "bad_key",          2 },  -- a wrong X-API-Key (401 when keys are configured, else ignored: 2xx)
}

local GOOD_KINDS = { good = true, no_top_k = true, unknown_buyer = true }

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function pick(list) return list[math.random(1, #list)] end

local builders = {
  good = function(n) return "GET", "/recommendations/u" .. n .. "?top_k=5" end,
  no_top_k = function(n) return "GET", "/recommendations/u" .. n end,
  long_id = function(n) return "GET", "/recommendations/u" .. string.rep("x", 299) .. "?top_k=5" end,
  top_k_abc = function(n) return "GET", "/recommendations/u" .. n .. "?top_k=abc" end,
  top_k_zero = function(n) return "GET", "/recommendations/u" .. n .. "?top_k=0" end,
  top_k_negative = function(n) return "GET", "/recommendations/u" .. n .. "?top_k=-3" end,
  top_k_huge = function(n) return "GET", "/recommendations/u" .. n .. "?top_k=100000" end,
  top_k_overflow = function(n) return "GET", "/recommendations/u" .. n .. "?top_k=99999999999999999999" end,
  unknown_buyer = function(n) return "GET", "/recommendations/never-seen-" .. n .. "?top_k=5" end,
  odd_id = function(n)
    return "GET", pick({
      "/recommendations/u1%27%20OR%20%271%27=%271?top_k=5",
      "/recommendations/%20?top_k=5",
      "/recommendations/u1%00?top_k=5",
      "/recommendations/..%2F..%2Fetc%2Fpasswd?top_k=5",
      "/recommendations/%F0%9F%98%80?top_k=5",
    })
  end,
  unknown_route = function(n)
    return "GET", pick({ "/recommendation/u" .. n, "/recommendations", "/admin", "/recommendations/u" .. n .. "/x" })
  end,
  wrong_method = function(n) return pick({ "POST", "DELETE" }), "/recommendations/u" .. n .. "?top_k=5" end,
  huge_header = function(n) return "GET", "/recommendations/u" .. n .. "?top_k=5", { ["X-Padding"] = string.rep("a", 40 * 1024) } end,
  many_headers = function(n)
    local many = {}
    for i = 1, 120 do many["X-Extra-" .. i] = "v" end
    return "GET", "/recommendations/u" .. n .. "?top_k=5", many
  end,
  bad_key = function(n) return "GET", "/recommendations/u" .. n .. "?top_k=5", { ["X-API-Key"] = "not-the-key-0123456789" } end,
}

function init(args)
  buyer_min = math.floor(tonumber(args[1] or os.getenv("BUYER_MIN") or 1))
  buyer_max = math.floor(tonumber(args[2] or os.getenv("BUYER_MAX") or 22363))
  math.randomseed(os.time() * 100 + id)

  -- A cumulative weight table; ONLY=<kind> keeps one kind.
  local only = os.getenv("ONLY")
  local wanted = {}
  for name in string.gmatch(only or "", "[^,]+") do wanted[name] = true end
  api_key = os.getenv("API_KEY")
  if api_key == "" then api_key = nil end
  cumulative, total_weight = {}, 0
  for _, kind in ipairs(KINDS) do
    local name = kind[1]
    if next(wanted) == nil or wanted[name] or (wanted.abuse and not GOOD_KINDS[name]) then
      total_weight = total_weight + kind[2]
      table.insert(cumulative, { kind[1], total_weight })
    end
  end
  if total_weight == 0 then error("ONLY=" .. only .. " is not a kind of mixed-abuse.lua") end

  for _, kind in ipairs(KINDS) do _G["sent_" .. kind[1]] = 0 end
  s1, s2, s3, s4, s5, other = 0, 0, 0, 0, 0, 0
end

function request()
  local r = math.random() * total_weight
  local name = cumulative[#cumulative][1]
  for _, entry in ipairs(cumulative) do
    if r < entry[2] then name = entry[1]; break end
  end
  _G["sent_" .. name] = _G["sent_" .. name] + 1
  local method, path, headers = builders[name](math.random(buyer_min, buyer_max))
  headers = headers or {}
  if api_key ~= nil and headers["X-API-Key"] == nil then headers["X-API-Key"] = api_key end
  local body = nil
  if method == "POST" then body = "{}" end
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then s2 = s2 + 1
  elseif status >= 400 and status < 500 then s4 = s4 + 1
  elseif status >= 500 and status < 600 then s5 = s5 + 1
  elseif status >= 300 and status < 400 then s3 = s3 + 1
  elseif status >= 100 and status < 200 then s1 = s1 + 1
  else other = other + 1 end
end

local function sum(name)
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get(name) or 0) end
  return total
end

function done(summary, latency, requests)
  io.write("-- mixed-abuse.lua --\nsent per kind:\n")
  local good = 0
  for _, kind in ipairs(KINDS) do
    local sent = sum("sent_" .. kind[1])
    if sent > 0 then io.write(string.format("  %-15s %d\n", kind[1], sent)) end
    if GOOD_KINDS[kind[1]] then good = good + sent end
  end
  local s2, s3, s4, s5 = sum("s2"), sum("s3"), sum("s4"), sum("s5")
  local all = s2 + s3 + s4 + s5 + sum("s1") + sum("other")
  io.write(string.format("status 2xx: %d\nstatus 3xx: %d\nstatus 4xx: %d\nstatus 5xx: %d\nstatus other: %d\n",
    s2, s3, s4, s5, sum("s1") + sum("other")))
  io.write(string.format("non-2xx: %d of %d\n", all - s2, all))
  io.write(string.format("sent that should succeed (good, no_top_k, unknown_buyer): %d; the rest should be 4xx (top_k_huge may be clamped to 2xx instead)\n", good))
  if s5 > 0 then io.write("WARNING: the service answered 5xx\n") end
end
