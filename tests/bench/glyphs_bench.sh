#!/usr/bin/env bash
# Glyph benchmark: how long `lantern serve` takes to make one glyph range of
# Noto Sans Regular (0-255, Latin; 7680-7935, the Vietnamese letters with two
# marks) the first time it is asked (cold) and again (from its cache), as
# curl sees it, and what the server's resident memory grows by; beside
# node-fontnik making the same ranges from the same font file in a node
# process of its own (tests/js, installed by .ci/install-references). Each
# run starts a fresh server. Prints markdown rows for docs/benchmarks.md.
#
#   bash tests/bench/glyphs_bench.sh [WORKDIR]
#
# WORKDIR (default /tmp/lantern-glyphs-bench) keeps a sample city, built
# once. LANTERN_BUILD names the build folder (default build/); RUNS (default
# 5) the fresh servers; the medians are printed.
set -euo pipefail
work=${1:-/tmp/lantern-glyphs-bench}
here=$(cd "$(dirname "$0")" && pwd)
build=${LANTERN_BUILD:-$here/../../build}
lantern=$build/cli/lantern
runs=${RUNS:-5}
font=$(fc-match -f '%{file}' 'Noto Sans:style=Regular')
mkdir -p "$work"
city=$work/hoian.sqlite
[ -f "$city" ] || "$lantern" sample-city "$work" --force -q

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

results=$work/lantern.txt
: > "$results"
for run in $(seq "$runs"); do
  port=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
  "$lantern" serve "$city" --port "$port" > "$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break
    sleep 0.1
  done
  for range in 0-255 7680-7935; do
    url="http://127.0.0.1:$port/fonts/Noto%20Sans%20Regular/$range.pbf"
    before=$(rss_kb "$server")
    cold=$(curl -s -o "$work/$range.pbf" -w '%{time_total}' "$url")
    after=$(rss_kb "$server")
    cached=$(curl -s -o /dev/null -w '%{time_total}' "$url")
    echo "$range $cold $cached $((after - before)) $(stat -c %s "$work/$range.pbf")" >> "$results"
  done
  kill "$server"
  wait "$server" || true
done

echo "| generator | range | cold | cached | memory | bytes |"
echo "|---|---|---|---|---|---|"
for range in 0-255 7680-7935; do
  rows=$(grep "^$range " "$results")
  cold=$(awk '{ print $2 * 1000 }' <<< "$rows" | median)
  cached=$(awk '{ print $3 * 1000 }' <<< "$rows" | median)
  grown=$(awk '{ print $4 / 1024 }' <<< "$rows" | median)
  bytes=$(awk '{ print $5 }' <<< "$rows" | median)
  printf '| lantern serve (curl) | %s | %.1f ms | %.2f ms | +%.1f MB resident | %s |\n' "$range" "$cold" "$cached" "$grown" "$bytes"
done

# node-fontnik: the range made in process, timed around fontnik.range; its
# first call (cold) and the median of the next five (it keeps no cache).
for range in 0 7680; do
  for run in $(seq "$runs"); do
    node --input-type=module -e "
      import { readFileSync } from 'node:fs';
      import { createRequire } from 'node:module';
      const fontnik = createRequire('$here/../js/')('fontnik');
      const font = readFileSync('$font');
      const make = () => new Promise((resolve, reject) => fontnik.range({ font, start: $range, end: $range + 255 },
        (error, data) => (error ? reject(error) : resolve(data))));
      const rss = process.memoryUsage().rss;
      let t = process.hrtime.bigint();
      const pbf = await make();
      const cold = Number(process.hrtime.bigint() - t) / 1e6;
      const grown = (process.memoryUsage().rss - rss) / 1048576;
      const again = [];
      for (let i = 0; i < 5; i++) {
        t = process.hrtime.bigint();
        await make();
        again.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      again.sort((a, b) => a - b);
      console.log(cold, again[2], grown, pbf.length);"
  done > "$work/fontnik-$range.txt"
  cold=$(awk '{ print $1 }' "$work/fontnik-$range.txt" | median)
  again=$(awk '{ print $2 }' "$work/fontnik-$range.txt" | median)
  grown=$(awk '{ print $3 }' "$work/fontnik-$range.txt" | median)
  bytes=$(awk '{ print $4 }' "$work/fontnik-$range.txt" | median)
  printf '| node-fontnik (in process) | %s-%s | %.1f ms | %.1f ms made again | +%.1f MB resident | %s |\n' \
    "$range" "$((range + 255))" "$cold" "$again" "$grown" "$bytes"
done
