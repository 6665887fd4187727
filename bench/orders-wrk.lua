-- wrk script for POST /orders, each request with an Idempotency-Key of its own: the orders path's capacity with
-- a load generator far lighter than the JVM client of flash-sale.sh. The product id comes from the environment:
--   PRODUCT=7 wrk -t2 -c128 -d10s -s bench/orders-wrk.lua http://127.0.0.1:8084
-- ORDERS_PATH=/api/orders/orders sends them through the gateway instead.
local threads = {}
local product = os.getenv("PRODUCT") or "1"
local path = os.getenv("ORDERS_PATH") or "/orders"

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + tid)
  prefix = "wrk-" .. tid .. "-" .. math.random(1, 1000000000) .. "-"
  counter = 0
  body = '{"customerId":"wrk","lines":[{"productId":' .. product .. ',"quantity":1}]}'
end

function request()
  counter = counter + 1
  return wrk.format("POST", path,
    {["Content-Type"] = "application/json", ["Idempotency-Key"] = prefix .. counter}, body)
end
