-- wrk script: POST the seed's MakeInstagram request with the token in TSID and the line in APP_ID.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"tsid":"' .. os.getenv("TSID") .. '","app_id":' .. os.getenv("APP_ID")
    .. ',"dest":"1254477777772919","mtype":"text","mdata":"Thanks for reaching out - how can we help?"}'

-- errors: socket errors and answers that are not 2xx/3xx (every Linegate refusal is 4xx/5xx)
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50=%.2f p99=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
    + summary.errors.timeout))
end
