#!/usr/bin/env python3
"""The writer of tests/bench/stall_bench.sh: commits one flood stage after
another (`lantern flood CITY --stage S`, S = 2.05, 2.15, 2.25 m ...: new
stages, each a new result) until
SECONDS have passed, at most one every INTERVAL seconds, and after each
commit asks the server's lookup every 10 ms until it lists the new stage.
With CYCLE, the stages repeat after CYCLE of them: the later runs store the
same results again, and the city's memory stays as it is. Prints one line
per commit and a summary:

  stall_writer.py LANTERN CITY URL LON LAT SECONDS [INTERVAL [CYCLE]]
"""
import json
import subprocess
import sys
import time
import urllib.request

lantern, city, url, lon, lat, seconds = sys.argv[1:7]
interval = float(sys.argv[7]) if len(sys.argv) > 7 else 2.0
cycle = int(sys.argv[8]) if len(sys.argv) > 8 else 0
end = time.monotonic() + float(seconds)
lookup = f"{url}/api/lookup?lon={lon}&lat={lat}"


def stages():
    with urllib.request.urlopen(lookup, timeout=30) as response:
        return {s["result"] for s in json.load(response)["flood"]["stages"]}


delays, runs = [], []
commits = 0
while time.monotonic() < end:
    started = time.monotonic()
    level = 2.05 + 0.1 * (commits % cycle if cycle else commits)
    commits += 1
    name = f"flood_depth_{level:.2f}m"
    subprocess.run([lantern, "flood", city, "--stage", f"{level:.2f}", "--threads", "1", "-q"],
                   check=True, stdout=subprocess.DEVNULL)
    committed = time.monotonic()
    runs.append(committed - started)
    while name not in stages():
        if time.monotonic() - committed > 60:
            sys.exit(f"{name} not in the lookup 60 s after its commit")
        time.sleep(0.01)
    delays.append(time.monotonic() - committed)
    print(f"commit {name}: analysis {runs[-1]:.2f} s, in the lookup {delays[-1] * 1000:.0f} ms later", flush=True)
    time.sleep(max(0.0, interval - (time.monotonic() - started)))
delays.sort()
print(f"WRITER commits={len(delays)} visible_median_ms={delays[len(delays) // 2] * 1000:.0f} "
      f"visible_max_ms={delays[-1] * 1000:.0f} analysis_median_s={sorted(runs)[len(runs) // 2]:.2f}")
