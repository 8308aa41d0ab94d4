-- A paced health probe for bench/health-under-load.sh: one request every PROBE_INTERVAL_MS (default 10) on one
-- connection, so the management loop wakes from sleep for each probe as it does for a real orchestrator's
-- probe, instead of being kept busy by a closed loop. Prints one parseable line at the end.
local interval = tonumber(os.getenv("PROBE_INTERVAL_MS") or "10")
function delay()
  return interval
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("PROBE requests=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
-- A non-200 is what the benchmark hunts: its body says which component turned the probe down, and why.
function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write(string.format("NON200 %d %s\n", status, body))
  end
end
