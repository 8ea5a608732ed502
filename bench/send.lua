-- wrk script: POST the seed's MakeInstagram request with the token in TSID and the line in APP_ID. With PEERS=N, each
-- request goes to the next of N customers instead of one, so the sends' events fall into N conversations (callbacks
-- post one conversation's events one at a time, and conversations in parallel).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local head = '{"tsid":"' .. os.getenv("TSID") .. '","app_id":' .. os.getenv("APP_ID") .. ',"dest":"'
local function body(dest)
  return head .. dest .. '","mtype":"text","mdata":"Thanks for reaching out - how can we help?"}'
end
wrk.body = body("1254477777772919")

local peers = tonumber(os.getenv("PEERS") or "")
if peers then
  local n = 0
  request = function()
    n = n + 1
    return wrk.format(nil, nil, nil, body("125447" .. string.format("%010d", n % peers)))
  end
end

-- errors: socket errors and answers that are not 2xx/3xx (every Linegate refusal is 4xx/5xx)
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50=%.2f p99=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout))
end
