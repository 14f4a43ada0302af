#!/usr/bin/env bash
# Runs the bundled scenarios with two builds of creditsim and compares their result files bit for
# bit: summary.json (every figure but timing and threads, via mpi-compare.py), quantiles.csv,
# loss-distribution.csv, contributions.csv and every paths/*.npy, for the base and every stress,
# on 1 and 2 threads. Exits 1 when anything differs.
#
#   scripts/compare-old-new.sh OLD_BIN NEW_BIN [PATHS] [SCENARIO…]
#
# Default scenarios: Scenarios/tech-bonds-2026/*.yaml, Scenarios/reference/scenario.yaml,
# Scenarios/small/small.yaml. PATHS defaults to 20000 (seed 7).
set -u
old=${1:?usage: compare-old-new.sh OLD_BIN NEW_BIN [PATHS] [SCENARIO…]}
new=${2:?usage: compare-old-new.sh OLD_BIN NEW_BIN [PATHS] [SCENARIO…]}
paths=${3:-20000}
shift $(( $# < 3 ? $# : 3 ))
here=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -gt 0 ]; then scenarios=("$@"); else
  scenarios=("$here"/Scenarios/tech-bonds-2026/*.yaml "$here/Scenarios/reference/scenario.yaml" "$here/Scenarios/small/small.yaml")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for scenario in "${scenarios[@]}"; do
  for threads in 1 2; do
    name="$(basename "$(dirname "$scenario")")-$(basename "$scenario" .yaml)-t$threads"
    for side in old new; do
      bin=$old; [ "$side" = new ] && bin=$new
      extra=()
      # Stresses and contributions where the scenario has them (market scenarios: no contributions flag needed).
      grep -q '^stress:' "$scenario" && extra+=(--stress all)
      if ! "$bin" run "$scenario" --paths "$paths" --seed 7 --threads "$threads" --quiet --export-paths \
          --contributions "${extra[@]}" --out "$work/$side/$name" > "$work/$side-$name.log" 2>&1; then
        echo "FAIL $name: $side run failed (see below)"; tail -3 "$work/$side-$name.log"; status=1; continue 2
      fi
    done
    same=1
    while IFS= read -r file; do
      rel=${file#"$work/old/$name/"}
      other="$work/new/$name/$rel"
      if [ ! -e "$other" ]; then echo "DIFF $name: $rel missing in new"; same=0; continue; fi
      case "$rel" in
        *summary.json) python3 "$here/scripts/mpi-compare.py" "$file" "$other" > "$work/cmp.txt" 2>&1 \
                         || { echo "DIFF $name: $rel"; head -5 "$work/cmp.txt"; same=0; } ;;
        *.csv|*.npy) cmp -s "$file" "$other" || { echo "DIFF $name: $rel"; same=0; } ;;
      esac
    done < <(find "$work/old/$name" -type f \( -name summary.json -o -name '*.csv' -o -name '*.npy' \) | sort)
    if [ $same = 1 ]; then echo "same $name"; else status=1; fi
  done
done
exit $status
