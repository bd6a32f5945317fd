#!/usr/bin/env python3
"""Device status changes as the operations centre sends them, for the soak
and the device benchmark: every INTERVAL seconds (default 1) until SECONDS
have passed, switches one camera or lamp of the city out of service and,
the next time, back (cameras online/offline, lamps on/off, in turn), by
PUT /api/devices/CLASS/ID/status with the token; after each answer asks
/api/devices/summary every 10 ms until the class's count of the new status
shows the change. Prints one line per change and a summary with the write
time (the PUT's answer, the change committed) and the time until the
summary served it:

  device_writer.py CITY URL TOKEN SECONDS [INTERVAL]
"""
import json
import sqlite3
import sys
import time
import urllib.error
import urllib.request

city, url, token, seconds = sys.argv[1:5]
interval = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
end = time.monotonic() + float(seconds)

with sqlite3.connect(f"file:{city}?mode=ro", uri=True) as db:
    cameras = [r[0] for r in db.execute("SELECT camera_id FROM cameras WHERE status = 'online' LIMIT 20")]
    lamps = [r[0] for r in db.execute("SELECT lamp_id FROM lamps WHERE status = 'on' LIMIT 20")]
devices = [("cameras", i, "offline", "online") for i in cameras] + [("lamps", i, "off", "on") for i in lamps]
devices = [d for pair in zip(devices[: len(cameras)], devices[len(cameras):]) for d in pair]


def summary_count(cls, status):
    with urllib.request.urlopen(f"{url}/api/devices/summary", timeout=30) as response:
        return json.load(response)["classes"][cls]["by_status"].get(status, 0)


def put(cls, device, status):
    request = urllib.request.Request(f"{url}/api/devices/{cls}/{device}/status", method="PUT",
                                     data=json.dumps({"status": status}).encode(),
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


writes, visible, failures = [], [], 0
k = 0
while time.monotonic() < end:
    started = time.monotonic()
    cls, device, out_of_service, in_service = devices[(k // 2) % len(devices)]
    status = out_of_service if k % 2 == 0 else in_service
    k += 1
    try:
        expected = summary_count(cls, status) + 1
        put(cls, device, status)
        written = time.monotonic()
        while summary_count(cls, status) < expected and time.monotonic() - written < 30:
            time.sleep(0.01)
        seen = time.monotonic()
        writes.append(written - started)
        visible.append(seen - started)
        print(f"{cls} {device} {status}: written {1000 * writes[-1]:.0f} ms, "
              f"in the summary {1000 * visible[-1]:.0f} ms", flush=True)
    except (urllib.error.URLError, OSError, KeyError) as e:
        failures += 1
        print(f"{cls} {device} {status}: failed: {e}", flush=True)
    time.sleep(max(0.0, interval - (time.monotonic() - started)))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else float("nan")


print(f"CHANGES n={len(writes)} failures={failures} "
      f"write_p50_ms={1000 * percentile(writes, 50):.0f} write_max_ms={1000 * max(writes, default=0):.0f} "
      f"visible_p50_ms={1000 * percentile(visible, 50):.0f} visible_p99_ms={1000 * percentile(visible, 99):.0f} "
      f"visible_max_ms={1000 * max(visible, default=0):.0f}")
