#include "CBuildInfo.h"

// Package.swift defines CREDITSIM_TARGET_CPU as a string literal when CREDITSIM_TARGET_CPU is set.
#ifndef CREDITSIM_TARGET_CPU
#define CREDITSIM_TARGET_CPU ""
#endif

const char *creditsim_target_cpu(void) { return CREDITSIM_TARGET_CPU; }
