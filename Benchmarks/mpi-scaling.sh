#!/usr/bin/env bash
# MPI scaling on this machine (see Documentation/Cluster.md): the reference scenario with importance
# sampling and contributions, at a fixed number of paths, on 1 rank and on 2 ranks (one thread
# each), run interleaved R times. Prints each run's wall time, the medians, paths/s and the parallel
# efficiency, and what each rank sent (bytes, reductions) from CREDITSIM_MPI_REPORT.
# Usage: Benchmarks/mpi-scaling.sh [PATHS] [ROUNDS]   (build: swift build -c release --traits MPI --scratch-path .build-mpi)
set -euo pipefail
cd "$(dirname "$0")/.."
paths=${1:-2000000}; rounds=${2:-3}
bin=.build-mpi/release/creditsim
scenario=Scenarios/tech-bonds-2026/tech-bonds.yaml
mpirun=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
declare -A times
for r in $(seq "$rounds"); do
    for n in 1 2; do
        start=$(date +%s.%N)
        CREDITSIM_MPI_REPORT=1 "${mpirun[@]}" -np "$n" "$bin" run "$scenario" --paths "$paths" --seed 1 --method importance \
            --contributions --threads 1 --quiet --json > /dev/null 2> "$out/report-$n"
        end=$(date +%s.%N)
        times[$n]+="$(echo "$end - $start" | bc) "
        echo "round $r, $n rank(s): $(echo "$end - $start" | bc) s"
    done
done
python3 - "$paths" "${times[1]}" "${times[2]}" "$out/report-2" <<'PY'
import statistics, sys
paths = int(sys.argv[1])
one, two = (statistics.median(map(float, a.split())) for a in sys.argv[2:4])
print(f"median wall: 1 rank {one:.2f} s ({paths / one:.3g} paths/s), 2 ranks {two:.2f} s ({paths / two:.3g} paths/s)")
print(f"speed-up {one / two:.2f}, parallel efficiency {one / two / 2:.0%}")
for line in open(sys.argv[4]):
    if line.startswith("mpi report"):
        print(line.strip())
PY
