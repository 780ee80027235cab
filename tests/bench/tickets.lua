-- wrk script for the ticket write benchmark (scripts/bench.sh): half the
-- requests create a ticket (POST /api/v1/tickets), half add a comment to
-- ticket T-000001 (an update). BENCH_TOKEN holds an API token.

local token = os.getenv("BENCH_TOKEN") or ""
local headers = {
   ["Authorization"] = "Bearer " .. token,
   ["Content-Type"] = "application/json",
}
local create = wrk.format("POST", "/api/v1/tickets", headers,
   '{"title":"Benchmark: printer offline","description":"Created by make bench.",' ..
   '"requester":{"name":"Bench","contact":"bench@example.com"},' ..
   '"category":"Printing","impact":"low","urgency":"low"}')
local comment = wrk.format("POST", "/api/v1/tickets/T-000001/comments", headers,
   '{"body":"Benchmark comment.","internal":true}')
local n = 0
non2xx = 0

function request()
   n = n + 1
   if n % 2 == 0 then return comment end
   return create
end

function response(status)
   if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
   io.write(string.format("bench:rps=%.1f\n", summary.requests / (summary.duration / 1e6)))
   io.write(string.format("bench:p50_ms=%.2f\n", latency:percentile(50) / 1000))
   io.write(string.format("bench:p99_ms=%.2f\n", latency:percentile(99) / 1000))
   io.write(string.format("bench:errors=%d\n", summary.errors.connect + summary.errors.read +
      summary.errors.write + summary.errors.timeout + summary.errors.status))
end
