-- wrk script for tests/bench/permit_bench.sh: posts the proposals of a list
-- (one JSON body a line) to /api/permit-check over and over, each wrk thread
-- from its own place in the list.
--
--   PROPOSALS     the list
--   POINT_THREADS wrk's -t

local thread_count = 0

function setup(thread)
    thread:set("index", thread_count)
    thread_count = thread_count + 1
end

function init(args)
    requests = {}
    local headers = { ["Content-Type"] = "application/json" }
    for line in io.lines(os.getenv("PROPOSALS")) do
        if #line > 0 then
            -- Formatted once here: wrk shares the cores with the server.
            table.insert(requests, wrk.format("POST", "/api/permit-check", headers, line))
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
    io.write(string.format("CHECKS requests=%d errors_status=%d errors_other=%d p50_ms=%.2f p99_ms=%.2f\n",
        summary.requests, summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
