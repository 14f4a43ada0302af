#!/usr/bin/env bash
# Fuzzes the scenario loaders, the .npy reader and merge's shard.json with libFuzzer for SECONDS
# (default 60), seeded with the bundled scenarios and their CSVs, and with the arrays and
# shard.json of two real shards (written with .build/debug/creditsim when it exists, as after
# `swift test`). Findings (crashing inputs) land in .fuzz/findings/.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
export CREDITSIM_FUZZ=1
swift build --scratch-path .build-fuzz --product CreditSimFuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
corpus=.fuzz/corpus
mkdir -p "$corpus" .fuzz/findings
# Seeds: the first byte picks the file the input replaces (0 scenario, 1 entities, 2 bonds,
# 3 an entities workbook, 4 the sheet XML of an entities workbook).
# Each text seed is cut to its first 8 KiB (workbooks are whole, up to 16 KiB), the longest input tried (large inputs run slowly under
# AddressSanitizer and find nothing more).
i=0
seed() { { printf "$1"; head -c 8191 "$2"; } > "$corpus/seed-$3-$i"; i=$((i+1)); }
for f in Scenarios/*/*.yaml; do seed '\000' "$f" yaml; done
for f in Scenarios/*/entities.csv; do seed '\001' "$f" entities; done
for f in Scenarios/*/bonds.csv; do seed '\002' "$f" bonds; done
for f in Tests/CreditScenarioTests/Fixtures/*.xlsx; do
    { printf '\003'; cat "$f"; } > "$corpus/seed-xlsx-$i"; i=$((i+1))
    { printf '\004'; python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml")[:8191])' "$f"; } \
        > "$corpus/seed-sheet-$i"; i=$((i+1))
done
# Two shards of a small run for the .npy (5) and shard.json (6) seeds; the fuzzer rewrites the
# second shard's shard.json, so they live in a folder of their own.
if [ -x .build/debug/creditsim ]; then
    shards="$PWD/.fuzz/shards"
    rm -rf "$shards" && mkdir -p "$shards"
    for k in 1 2; do
        .build/debug/creditsim run Scenarios/small/small.yaml --shard "$k/2" --paths 4096 --out "$shards/shard$k" > /dev/null
    done
    cp "$shards/shard2/shard.json" "$shards/shard2.json.orig"
    { printf '\006'; cat "$shards/shard2.json.orig"; } > "$corpus/seed-shard-$i"; i=$((i+1))
    for f in "$shards"/shard1/base/*.npy; do
        { printf '\005'; head -c 8191 "$f"; } > "$corpus/seed-npy-$i"; i=$((i+1))
    done
    export CREDITSIM_FUZZ_SHARDS="$shards"
else
    echo "fuzz.sh: no .build/debug/creditsim (run swift build first): shard.json inputs are skipped" >&2
fi
# One known leak of the ZIP package (40 bytes per workbook opened) is suppressed; see the file.
export LSAN_OPTIONS="suppressions=$PWD/Tests/Fuzz/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
exec .build-fuzz/debug/CreditSimFuzz "$corpus" -max_total_time="$seconds" -max_len=16384 -timeout=10 \
    -rss_limit_mb=4096 -artifact_prefix=.fuzz/findings/ -print_final_stats=1
