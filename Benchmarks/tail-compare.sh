#!/usr/bin/env bash
# Two builds of creditsim side by side for tail answers, interleaved repetition by repetition so
# that the shared machine's noise hits both alike: the engine's paths/s with plain and importance
# sampling on the reference portfolio and the bundled technology-bond book (`bench --scenario`,
# one timed run each), and the whole process of `run --precision 1%` on the bundled book with
# each method (wall seconds, peak memory, paths it took). Prints medians and ratios.
#   usage: Benchmarks/tail-compare.sh OLD_BINARY NEW_BINARY [REPETITIONS=5] [PLAIN_PATHS=1000000] [IS_PATHS=200000]
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 reps=${3:-5} plain=${4:-1000000} weighted=${5:-200000}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
declare -A books=([reference]=Scenarios/reference/scenario.yaml [tech-bonds]=Scenarios/tech-bonds-2026/tech-bonds.yaml)
for rep in $(seq "$reps"); do
  for build in old new; do
    bin=$old; [ "$build" = new ] && bin=$new
    for book in reference tech-bonds; do
      for method in plain importance; do
        paths=$plain; [ "$method" = importance ] && paths=$weighted
        "$bin" bench --scenario "${books[$book]}" --method "$method" --paths "$paths" --threads 2 --repeat 1 --json 2>/dev/null |
          python3 -c 'import json,sys
d=json.load(sys.stdin)
for m in d["measurements"]:
    if m["kind"] == "engine": print(sys.argv[1], sys.argv[2], "engine-paths/s", m["paths_per_second"]["median"])' \
          "$build" "$book/$method" >> "$out"
      done
    done
    for method in plain importance; do
      t=$(mktemp)
      /usr/bin/time -f '%e %M' -o "$t" "$bin" run "${books[tech-bonds]}" --precision 1% --method "$method" --quiet --json 2>/dev/null |
        python3 -c 'import json,sys
d=json.load(sys.stdin); e, kb = open(sys.argv[3]).read().split()
print(sys.argv[1], sys.argv[2], "precision-seconds", e); print(sys.argv[1], sys.argv[2], "precision-MiB", int(kb) / 1024)
print(sys.argv[1], sys.argv[2], "precision-paths", d["paths"])' "$build" "tech-bonds/es99.9-1%/$method" "$t" >> "$out"
      rm -f "$t"
    done
  done
done
python3 - "$out" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    build, case, what, value = line.split()
    rows.setdefault((case, what), {}).setdefault(build, []).append(float(value))
print(f"{'case':36} {'figure':18} {'old median':>12} {'new median':>12} {'new/old':>8}")
for (case, what), v in sorted(rows.items()):
    o, n = statistics.median(v.get("old", [float("nan")])), statistics.median(v.get("new", [float("nan")]))
    print(f"{case:36} {what:18} {o:12.4g} {n:12.4g} {n / o:8.3f}")
PY
