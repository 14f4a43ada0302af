#!/usr/bin/env bash
# Two builds of creditsim side by side, interleaved round by round so that the shared machine's
# noise hits both alike: the engine's median name-paths/s on the reference portfolio for plain
# Gaussian, Student-t, full correlation and importance sampling, and the ratio new/old.
#   usage: Benchmarks/ab-compare.sh OLD_BINARY NEW_BINARY [ROUNDS=5] [PATHS=1000000]
# Importance sampling is timed through `run --method importance --json` (elapsed_seconds covers
# the main run, not the pilots), since older builds have no `bench --method`.
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1 new=$2 rounds=${3:-5} paths=${4:-1000000}
declare -A modes=(
  [plain]="bench --paths $paths --threads 2 --repeat 1 --json"
  [student-t]="bench --paths $paths --threads 2 --repeat 1 --copula student-t --degrees-of-freedom 5 --json"
  [full-2000]="bench --full-correlation --names 2000 --paths 20000 --threads 2 --repeat 1 --json"
  [importance]="run Scenarios/reference/scenario.yaml --method importance --paths $paths --threads 2 --quiet --json"
)
rate() {  # median name-paths/s from any JSON shape: bench (a number before format_version 1, then
          # {min, median, max}), or run --json
  python3 -c 'import json,sys
d=json.load(sys.stdin)
v=d["measurements"][0]["name_paths_per_second"] if "measurements" in d else d["name_paths_per_second"]
print(v["median"] if isinstance(v, dict) else v)'
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-11s %14s %14s %8s\n' mode old new new/old
for mode in plain student-t full-2000 importance; do
  a=() b=()
  for _ in $(seq "$rounds"); do
    # shellcheck disable=SC2086
    a+=("$("$old" ${modes[$mode]} | rate)")
    # shellcheck disable=SC2086
    b+=("$("$new" ${modes[$mode]} | rate)")
  done
  ma=$(printf '%s\n' "${a[@]}" | median) mb=$(printf '%s\n' "${b[@]}" | median)
  printf '%-11s %14.4g %14.4g %8.3f\n' "$mode" "$ma" "$mb" "$(awk -v x="$mb" -v y="$ma" 'BEGIN {print x / y}')"
done
