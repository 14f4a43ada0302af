#!/usr/bin/env bash
# Fuzzes the scenario loaders with libFuzzer for SECONDS (default 60), seeded with the bundled
# scenarios and their CSVs. Findings (crashing inputs) land in .fuzz/findings/.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
export CREDITSIM_FUZZ=1
swift build --scratch-path .build-fuzz --product CreditSimFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
corpus=.fuzz/corpus
mkdir -p "$corpus" .fuzz/findings
# Seeds: the first byte picks the file the input replaces (0 scenario, 1 entities, 2 bonds).
i=0
for f in Scenarios/*/*.yaml; do printf '\000' | cat - "$f" > "$corpus/seed-yaml-$i"; i=$((i+1)); done
for f in Scenarios/*/entities.csv; do printf '\001' | cat - "$f" > "$corpus/seed-entities-$i"; i=$((i+1)); done
for f in Scenarios/*/bonds.csv; do printf '\002' | cat - "$f" > "$corpus/seed-bonds-$i"; i=$((i+1)); done
exec .build-fuzz/debug/CreditSimFuzz "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=4096 -artifact_prefix=.fuzz/findings/ -print_final_stats=1
