-- wrk script for tests/bench/soak_bench.sh: asks the paths of a list (one
-- per line) over and over, each wrk thread from its own place in the list,
-- as a browser asks (gzip accepted). Prints a PATHS line at the end with the
-- requests, the non-2xx answers and the socket errors (timeouts apart).
--
--   PATH_LIST    the list
--   PATH_THREADS wrk's -t

local thread_count = 0

function setup(thread)
    thread:set("index", thread_count)
    thread_count = thread_count + 1
end

function init(args)
    requests = {}
    for line in io.lines(os.getenv("PATH_LIST")) do
        if #line > 0 then
            table.insert(requests, wrk.format("GET", line, { ["Accept-Encoding"] = "gzip" }))
        end
    end
    local share = #requests / tonumber(os.getenv("PATH_THREADS"))
    next_request = math.floor(share * tonumber(wrk.thread:get("index")))
end

function request()
    next_request = next_request % #requests + 1
    return requests[next_request]
end

function done(summary, latency, requests)
    io.write(string.format("PATHS requests=%d non_2xx=%d timeouts=%d other_errors=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
        summary.requests, summary.errors.status, summary.errors.timeout,
        summary.errors.connect + summary.errors.read + summary.errors.write,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
