-- bench/wrk.lua: one request shape from BENCH_* variables; a JSON summary line when done.
-- BENCH_METHOD, BENCH_PATH, BENCH_BODY (form-encoded); BENCH_UNIQUE=<prefix> appends
-- &phone_number=<prefix><thread><counter>, unique per request, thread and run.

local method = os.getenv("BENCH_METHOD") or "POST"
local path = os.getenv("BENCH_PATH") or "/"
local body = os.getenv("BENCH_BODY") or ""
local unique = os.getenv("BENCH_UNIQUE")
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

local threads = {}
local prepared = nil
local counter = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end

function init(args)
  if unique == nil then
    prepared = wrk.format(method, path, headers, body)
  end
end

function request()
  if prepared ~= nil then
    return prepared
  end
  counter = counter + 1
  local phone = string.format("%s%d%07d", unique, thread_id, counter)
  return wrk.format(method, path, headers, body .. "&phone_number=" .. phone)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout
  ))
end
