#!/usr/bin/env bash
# MPI test (the guarantees of Sources/CreditScenario/CreditScenario.docc/ScaleOut.md): builds
# creditsim with the MPI trait into .build-mpi, runs one scenario with importance sampling, two
# stresses and contributions on 1, 2 and 3 ranks, and checks that every figure of every summary is
# bit-identical (timing, threads and ranks excluded). Then checks that every rank's peak memory
# stays flat when the ranks double at fixed paths per rank. Needs OpenMPI (libopenmpi-dev,
# openmpi-bin; .ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --traits MPI --scratch-path .build-mpi 2>&1 | tail -1
bin=.build-mpi/release/creditsim
scenario=Scenarios/tech-bonds-2026/tech-bonds.yaml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mpirun=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && mpirun+=(--allow-run-as-root)
run=(run "$scenario" --paths "${MPI_TEST_PATHS:-20000}" --seed 11 --method importance
     --stress coal_steel_downturn --stress guarantor_downgrade --contributions --threads 1 --quiet)

for n in 1 2 3; do
    "${mpirun[@]}" -np "$n" "$bin" "${run[@]}" --out "$work/np$n" --json > "$work/np$n.json"
done
python3 scripts/mpi-compare.py "$work/np1.json" "$work/np2.json" "$work/np3.json"
for f in summary.json stress-coal_steel_downturn/summary.json stress-guarantor_downgrade/summary.json; do
    python3 scripts/mpi-compare.py "$work/np1/$f" "$work/np2/$f" "$work/np3/$f" > /dev/null
done
# Files other than summaries: contributions and distributions must be byte-identical too.
for f in contributions.csv loss-distribution.csv quantiles.csv stress-guarantor_downgrade/contributions.csv; do
    cmp "$work/np1/$f" "$work/np2/$f"
    cmp "$work/np1/$f" "$work/np3/$f"
done
echo "MPI: 1, 2 and 3 ranks give identical summaries and files"

# Peak memory per rank at a fixed 2^18 paths per rank, for 2 and then 4 ranks: every rank, rank 0
# included, holds only its own paths (statistics are collective queries), so no rank's peak may
# grow with the rank count. Each rank also reports the bytes it sent and its reductions.
peak() {
    CREDITSIM_MPI_REPORT=1 "${mpirun[@]}" -np "$1" "$bin" run "$scenario" --paths $(( $1 * 262144 )) --seed 3 \
        --threads 1 --quiet --json 2>&1 >/dev/null | grep '^mpi report' | sort -k4n
}
two=$(peak 2); four=$(peak 4)
echo "$two"; echo "$four"
python3 - "$two" "$four" <<'PY'
import sys
def peaks(text):
    return [int(line.split()[7]) for line in text.splitlines()]
two, four = peaks(sys.argv[1]), peaks(sys.argv[2])
if max(four) > 1.15 * max(two):
    sys.exit(f"MPI: a rank's peak grew from {max(two)} KiB (2 ranks) to {max(four)} KiB (4 ranks)")
print(f"MPI: peak of any rank {max(two)} KiB at 2 ranks, {max(four)} KiB at 4 ranks (flat, rank 0 included)")
PY
