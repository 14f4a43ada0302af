#ifndef CREDITSIM_BUILD_INFO_H
#define CREDITSIM_BUILD_INFO_H

/// The -target-cpu the core (CreditRisk) was compiled for, from CREDITSIM_TARGET_CPU at build
/// time (see Package.swift); "" for a portable build.
const char *creditsim_target_cpu(void);

#endif
