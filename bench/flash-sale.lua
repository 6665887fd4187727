-- wrk script for bench/flash-sale.sh --client wrk: the buyers, each POST /orders with an Idempotency-Key of its
-- own, exactly BUYERS of them across the threads; then the summary as JSON in OUT. wrk is far lighter than a JVM
-- client on the same cores, which matters when the server, PostgreSQL and the load share two.
--   PRODUCT=7 BUYERS=100000 THREADS=2 OUT=load.json wrk -t2 -c256 -d10m -s bench/flash-sale.lua http://127.0.0.1:8084
-- A thread that has sent its share fills its connections with GET /health/live (not counted) until its last
-- order is answered, since wrk sends on every free connection; then it stops and writes OUT.<thread>.done.
-- wrk itself runs for its -d regardless, so the caller sends it SIGINT once every thread is done.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } surge_timespec;
  int clock_gettime(int clock, surge_timespec *ts);
]]
local ts = ffi.new("surge_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC: the same clock in every thread
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local BUCKET_MS = 10
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local buyers = tonumber(os.getenv("BUYERS"))
  local count = tonumber(os.getenv("THREADS"))
  share = math.floor(buyers / count) + ((tid <= buyers % count) and 1 or 0)
  -- wrk calls the first thread's request() once more, to check what it returns, and never sends that one
  verified = tid ~= 1
  local run = os.getenv("RUN") or tostring(os.time())
  prefix = "wrk-" .. run .. "-" .. tid .. "-"
  body = '{"customerId":"flash","lines":[{"productId":' .. os.getenv("PRODUCT") .. ',"quantity":'
    .. (os.getenv("QUANTITY") or "1") .. '}]}'
  sent, answered, placed, rejected, other = 0, 0, 0, 0, 0
  finished = false
  first_ms, last_placed_ms, last_answer_ms = 0, 0, 0
  rejected_by_bucket = {} -- 10 ms buckets of rejection answers, to count those after the last sale
  statuses = {}
end

function request()
  if not verified then
    verified = true
    return wrk.format("GET", "/health/live")
  end
  if sent >= share then
    return wrk.format("GET", "/health/live")
  end
  sent = sent + 1
  if first_ms == 0 then
    first_ms = now_ms()
  end
  return wrk.format("POST", "/orders",
    {["Content-Type"] = "application/json", ["Idempotency-Key"] = prefix .. sent}, body)
end

local function finish()
  finished = true
  local marker = io.open(os.getenv("OUT") .. "." .. tid .. ".done", "w")
  marker:close()
  wrk.thread:stop()
end

function response(status, headers, body)
  local t = now_ms()
  if status == 200 then -- a filler; an order not answered in 10 s will not be (wrk counts it as an error)
    if not finished and t - last_answer_ms > 10000 then
      finish()
    end
    return
  end
  answered = answered + 1
  last_answer_ms = t
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    placed = placed + 1
    last_placed_ms = t
  elseif status == 409 then
    rejected = rejected + 1
    local b = math.floor(t / BUCKET_MS)
    rejected_by_bucket[b] = (rejected_by_bucket[b] or 0) + 1
  else
    other = other + 1
  end
  if answered == share then
    finish()
  end
end

function done(summary, latency, requests)
  local first, last_placed, last_answer = math.huge, 0, 0
  local totals = {placed = 0, rejected = 0, other = 0, answered = 0, sent = 0}
  local statuses_all = {}
  for _, t in ipairs(threads) do
    first = math.min(first, t:get("first_ms"))
    last_placed = math.max(last_placed, t:get("last_placed_ms"))
    last_answer = math.max(last_answer, t:get("last_answer_ms"))
    for _, k in ipairs({"placed", "rejected", "other", "answered", "sent"}) do
      totals[k] = totals[k] + t:get(k)
    end
    for status, n in pairs(t:get("statuses")) do
      statuses_all[tostring(status)] = (statuses_all[tostring(status)] or 0) + n
    end
  end
  local after_bucket = math.floor(last_placed / BUCKET_MS) + 1
  local sold_out, first_sold_out = 0, math.huge
  for _, t in ipairs(threads) do
    for b, n in pairs(t:get("rejected_by_bucket")) do
      if b >= after_bucket then
        sold_out = sold_out + n
        first_sold_out = math.min(first_sold_out, b * BUCKET_MS)
      end
    end
  end
  local sale_s = (last_placed - first) / 1000
  local sold_out_s = (last_answer - math.min(first_sold_out, last_answer)) / 1000
  local parts = {}
  for status, n in pairs(statuses_all) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  local json = string.format('{"client": "wrk", "statuses": {%s}, "sent": %d, "unanswered": %d, "placed": %d, "rejected": %d, "other": %d, '
    .. '"seconds": %.3f, "placedPerSecond": %d, "saleSeconds": %.3f, "soldOutRejections": %d, '
    .. '"soldOutRejectionsPerSecond": %d, "requestsPerSecond": %d, '
    .. '"latencyMs": {"p50": %.3f, "p99": %.3f, "max": %.3f}}',
    table.concat(parts, ", "), totals.sent, totals.sent - totals.answered, totals.placed, totals.rejected, totals.other, (last_answer - first) / 1000,
    sale_s > 0 and math.floor(totals.placed / sale_s + 0.5) or 0, sale_s, sold_out,
    sold_out_s > 0 and math.floor(sold_out / sold_out_s + 0.5) or 0,
    math.floor(totals.answered / ((last_answer - first) / 1000) + 0.5),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000)
  local out = io.open(os.getenv("OUT"), "w")
  out:write(json, "\n")
  out:close()
  print(json)
end
