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
# One known leak of the ZIP package (40 bytes per workbook opened) is suppressed; see the file.
export LSAN_OPTIONS="suppressions=$PWD/Tests/Fuzz/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
exec .build-fuzz/debug/CreditSimFuzz "$corpus" -max_total_time="$seconds" -max_len=16384 -timeout=10 \
    -rss_limit_mb=4096 -artifact_prefix=.fuzz/findings/ -print_final_stats=1
