-- wrk script for tests/bench/tiles_bench.sh: requests the tiles of a list
-- ("z x y" lines) over and over, as a browser asks for them (gzip accepted).
-- Each wrk thread starts at its own place in the list, so that the threads
-- walk different tiles at any moment.
--
--   TILE_LIST    the list
--   TILE_URL     the path with {z}, {x}, {y}, e.g. /tiles/roads,parcels/{z}/{x}/{y}.mvt
--   TILE_THREADS wrk's -t

local thread_count = 0

function setup(thread)
    thread:set("index", thread_count)
    thread_count = thread_count + 1
end

function init(args)
    local pattern = os.getenv("TILE_URL")
    paths = {}
    for line in io.lines(os.getenv("TILE_LIST")) do
        local z, x, y = line:match("(%d+)%s+(%d+)%s+(%d+)")
        if z then
            local path = pattern:gsub("{z}", z):gsub("{x}", x):gsub("{y}", y)
            table.insert(paths, path)
        end
    end
    local share = #paths / tonumber(os.getenv("TILE_THREADS"))
    next_path = math.floor(share * tonumber(wrk.thread:get("index")))
    wrk.headers["Accept-Encoding"] = "gzip"
end

function request()
    next_path = next_path % #paths + 1
    return wrk.format("GET", paths[next_path])
end

function done(summary, latency, requests)
    io.write(string.format("TILES requests=%d errors_status=%d errors_other=%d\n",
        summary.requests, summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
