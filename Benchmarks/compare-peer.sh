#!/usr/bin/env bash
# Side-by-side throughput of `creditsim run` and the numpy peer (Benchmarks/peer/npmc_peer.py) on
# the reference portfolio (Scenarios/reference, Glasserman & Li 2005): whole-process wall clock
# (numpy's import and the CSV reading included), median of R creditsim runs, one peer run, and
# their ratio. `creditsim bench --peer` compares the simulation loops alone, with their spreads.
#   usage: Benchmarks/compare-peer.sh [PATHS=1000000] [PEER_PATHS=PATHS] [R=3]
set -euo pipefail
cd "$(dirname "$0")/.."
paths=${1:-1000000}
peer_paths=${2:-$paths}
repeats=${3:-3}
peer=${PEER:-Benchmarks/peer/npmc_peer.py}
tool=${TOOL:-.build/release/creditsim}
names=$(($(wc -l < Scenarios/reference/entities.csv) - 1))
times=()
for _ in $(seq "$repeats"); do
    start=$(date +%s.%N)
    "$tool" run Scenarios/reference/scenario.yaml --paths "$paths" --quiet --out /tmp/creditsim-peer-out > /dev/null
    times+=("$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {print a - b}')")
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
start=$(date +%s.%N)
python3 "$peer" Scenarios/reference --paths "$peer_paths" --seed 1 > /tmp/creditsim-peer.json
peer_time=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN {print a - b}')
ours=$(awk -v p="$paths" -v n="$names" -v t="$median" 'BEGIN {print p * n / t}')
theirs=$(awk -v p="$peer_paths" -v n="$names" -v t="$peer_time" 'BEGIN {print p * n / t}')
printf 'creditsim run: %d paths x %d names, median %.3f s of %d -> %.3g name-paths/s\n' "$paths" "$names" "$median" "$repeats" "$ours"
printf 'numpy peer:    %d paths x %d names, %.3f s -> %.3g name-paths/s\n' "$peer_paths" "$names" "$peer_time" "$theirs"
printf 'ratio: %.1fx\n' "$(awk -v a="$ours" -v b="$theirs" 'BEGIN {print a / b}')"
