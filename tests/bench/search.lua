-- wrk script for kbd benchmarks (used by scripts/bench.sh).
--
-- Cycles through request paths read from a file, one path per line
-- (already URL-encoded, e.g. /api/v1/search?q=outlook%20crash).
-- The file is given as the first script argument after "--", or in the
-- environment variable BENCH_PATHS:
--   wrk -t2 -c64 -d10s -s tests/bench/search.lua http://127.0.0.1:18080 -- paths.txt
--
-- done() prints machine-readable "key=value" lines prefixed with "bench:"
-- (requests, rps, non2xx, socket errors, p50/p99 latency in ms).

local threads = {}
local next_id = 0

-- Runs in the main Lua state, once per thread, before init().
function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local function read_paths(file)
   local f, err = io.open(file, "r")
   if not f then
      error("search.lua: cannot open paths file '" .. tostring(file) .. "': " .. tostring(err))
   end
   local list = {}
   for line in f:lines() do
      line = line:gsub("\r$", "")
      if line ~= "" and line:sub(1, 1) ~= "#" then
         if line:sub(1, 1) ~= "/" then line = "/" .. line end
         list[#list + 1] = line
      end
   end
   f:close()
   if #list == 0 then
      error("search.lua: no paths in '" .. file .. "'")
   end
   return list
end

-- Per-thread state (each wrk thread has its own Lua state).
local requests = {}
local pos = 1
non2xx = 0
status_counts = ""

local seen = {}

function init(args)
   local file = (args and args[1]) or os.getenv("BENCH_PATHS")
   if not file or file == "" then
      error("search.lua: give the paths file after '--' or in BENCH_PATHS")
   end
   local paths = read_paths(file)
   -- kbd answers signed-in users only: scripts/bench.sh makes a token
   local token = os.getenv("BENCH_TOKEN")
   local headers = token and { ["Authorization"] = "Bearer " .. token } or nil
   for i, p in ipairs(paths) do
      requests[i] = wrk.format("GET", p, headers)
   end
   -- Spread threads over the list so they do not all send the same query.
   local tid = tonumber(id) or 0
   pos = (tid * 7919) % #requests + 1
end

function request()
   local r = requests[pos]
   pos = pos + 1
   if pos > #requests then pos = 1 end
   return r
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      local k = tostring(status)
      seen[k] = (seen[k] or 0) + 1
      -- Keep a compact "code:count" string readable from the main state.
      local parts = {}
      for code, n in pairs(seen) do parts[#parts + 1] = code .. ":" .. n end
      table.sort(parts)
      status_counts = table.concat(parts, ",")
   end
end

-- Runs in the main Lua state after the run.
function done(summary, latency, requests_)
   local total_non2xx = 0
   local codes = {}
   for _, t in ipairs(threads) do
      total_non2xx = total_non2xx + (tonumber(t:get("non2xx")) or 0)
      local sc = t:get("status_counts")
      if sc and sc ~= "" then
         for code, n in sc:gmatch("(%d+):(%d+)") do
            codes[code] = (codes[code] or 0) + tonumber(n)
         end
      end
   end
   local codelist = {}
   for code, n in pairs(codes) do codelist[#codelist + 1] = code .. ":" .. n end
   table.sort(codelist)

   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   local secs = summary.duration / 1e6
   local rps = 0
   if secs > 0 then rps = summary.requests / secs end

   local function ms(us) return string.format("%.2f", us / 1000) end
   local out = {
      "requests=" .. summary.requests,
      "duration_s=" .. string.format("%.2f", secs),
      "rps=" .. string.format("%.1f", rps),
      "bytes=" .. summary.bytes,
      "non2xx=" .. total_non2xx,
      "non2xx_codes=" .. (#codelist > 0 and table.concat(codelist, ",") or "none"),
      "socket_errors=" .. socket_errors,
      "err_connect=" .. e.connect,
      "err_read=" .. e.read,
      "err_write=" .. e.write,
      "err_timeout=" .. e.timeout,
      "p50_ms=" .. ms(latency:percentile(50)),
      "p90_ms=" .. ms(latency:percentile(90)),
      "p99_ms=" .. ms(latency:percentile(99)),
      "max_ms=" .. ms(latency.max),
      "mean_ms=" .. ms(latency.mean),
   }
   for _, l in ipairs(out) do io.write("bench:", l, "\n") end
end
