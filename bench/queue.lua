-- wrk script for bench/queue.sh: POSTs MakeInstagram over the targets in the file TARGETS ("TSID APP_ID" a line), in
-- turn, each send to the next of PEERS customers (default 1000) of its line. Every mdata is unique, MARK-THREAD-N, so
-- the stub can tell a send made twice. ASYNC=1 queues them (async=1 in the body). EXPECT: the status every answer
-- must have (default 200; 202 for queued sends), others count as errors. LIMIT: stop each thread after that many
-- answers.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local mark = os.getenv("MARK") or "q"
local async = os.getenv("ASYNC") == "1" and ',"async":1' or ''
local peers = tonumber(os.getenv("PEERS") or "1000")
local expect = tonumber(os.getenv("EXPECT") or "200")
local limit = tonumber(os.getenv("LIMIT") or "0")
local targets = {}
for l in io.lines(os.getenv("TARGETS")) do
  local tsid, app = l:match("(%S+)%s+(%S+)")
  targets[#targets + 1] = '{"tsid":"' .. tsid .. '","app_id":' .. app .. async .. ',"dest":"'
end

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

local n = 0
answered, bad = 0, 0 -- globals: done reads them with thread:get
request = function()
  n = n + 1
  local head = targets[n % #targets + 1]
  local peer = math.floor(n / #targets) % peers
  return wrk.format(nil, nil, nil, head .. "125447" .. string.format("%010d", peer) .. '","mtype":"text","mdata":"'
    .. mark .. "-" .. tid .. "-" .. n .. '"}')
end

response = function(status)
  answered = answered + 1
  if status ~= expect then bad = bad + 1 end
  if limit > 0 and answered >= limit then wrk.thread:stop() end
end

done = function(summary, latency, requests)
  local wrong = 0
  for _, t in ipairs(threads) do wrong = wrong + t:get("bad") end
  io.write(string.format("RESULT rps=%.1f p50=%.2f p99=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    + wrong))
end
