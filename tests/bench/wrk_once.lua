-- wrk script for tests/bench/postgis_bench.sh: every path of a list asked
-- exactly once over all threads (gzip accepted, as a browser asks), so that a
-- server with a tile cache renders every one. Each wrk thread takes its own
-- contiguous share of the list; a connection with nothing left to ask sends
-- nothing and waits. When a thread has its whole share answered it appends a
-- line to ONCE_DONE and stops; the caller interrupts wrk (SIGINT) once every
-- thread has, since wrk's main thread otherwise sleeps for all of -d.
-- The caller checks that the threads answered the whole list.
-- Prints a ONCE line at the end with the requests answered, the non-200
-- answers and wrk's latency percentiles.
--
--   PATH_LIST    the list, one path a line
--   PATH_THREADS wrk's -t
--   ONCE_DONE    the file each finished thread appends a line to

local thread_count = 0

function setup(thread)
    thread:set("index", thread_count)
    thread_count = thread_count + 1
end

function init(args)
    local paths = {}
    for line in io.lines(os.getenv("PATH_LIST")) do
        if #line > 0 then
            table.insert(paths, line)
        end
    end
    local threads = tonumber(os.getenv("PATH_THREADS"))
    local index = tonumber(wrk.thread:get("index"))
    local first = math.floor(#paths * index / threads) + 1
    local last = math.floor(#paths * (index + 1) / threads)
    requests = {}
    for k = first, last do
        table.insert(requests, wrk.format("GET", paths[k], { ["Accept-Encoding"] = "gzip" }))
    end
    sent = 0
    answered = 0
    -- wrk 4 calls request() once on the first thread before the run to
    -- check the request it builds, and sends nothing of it: that call gets
    -- the first request without using it up.
    probe = (index == 0)
    not_ok = 0
    if #requests == 0 then
        finish()
    end
end

function finish()
    local out = io.open(os.getenv("ONCE_DONE"), "a")
    out:write(string.format("thread answered=%d not_ok=%d\n", answered, not_ok))
    out:close()
    wrk.thread:stop()
end

function request()
    if probe then
        probe = false
        return requests[1] or ""
    end
    if sent < #requests then
        sent = sent + 1
        return requests[sent]
    end
    return ""
end

function response(status, headers, body)
    answered = answered + 1
    if status ~= 200 then
        not_ok = not_ok + 1
    end
    if answered == #requests then
        finish()
    end
end

function done(summary, latency, requests)
    io.write(string.format("ONCE requests=%d non_2xx=%d timeouts=%d other_errors=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f mean_ms=%.2f\n",
        summary.requests, summary.errors.status, summary.errors.timeout,
        summary.errors.connect + summary.errors.read + summary.errors.write,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, latency.mean / 1000))
end
