#!/usr/bin/env bash
# Prints the -target-cpu for CREDITSIM_TARGET_CPU that this machine's CPU supports: skylake-avx512
# with AVX-512 F/DQ/BW/VL, haswell with AVX2 and FMA, nothing otherwise (a portable build).
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
has() { [[ " $flags " == *" $1 "* ]]; }
if has avx512f && has avx512dq && has avx512bw && has avx512vl; then
    echo skylake-avx512
elif has avx2 && has fma; then
    echo haswell
fi
