-- wrk script for tests/bench/lookup_bench.sh: asks /api/lookup at the points
-- of a list ("lon lat" lines) over and over, each wrk thread from its own
-- place in the list.
--
--   POINT_LIST    the list
--   POINT_THREADS wrk's -t

local thread_count = 0

function setup(thread)
    thread:set("index", thread_count)
    thread_count = thread_count + 1
end

function init(args)
    requests = {}
    for line in io.lines(os.getenv("POINT_LIST")) do
        local lon, lat = line:match("(%S+)%s+(%S+)")
        if lon then
            -- Formatted once here, not per request: wrk shares the cores
            -- with the server, and its own work should not weigh on it.
            table.insert(requests, wrk.format("GET", "/api/lookup?lon=" .. lon .. "&lat=" .. lat))
        end
    end
    local share = #requests / tonumber(os.getenv("POINT_THREADS"))
    next_request = math.floor(share * tonumber(wrk.thread:get("index")))
end

function request()
    next_request = next_request % #requests + 1
    return requests[next_request]
end

function done(summary, latency, requests)
    io.write(string.format("LOOKUPS requests=%d errors_status=%d errors_other=%d p50_ms=%.2f p99_ms=%.2f\n",
        summary.requests, summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
