#!/usr/bin/env bash
# Installs the system libraries CreditSim needs on Debian (OpenBLAS with LAPACK), if missing.
set -euo pipefail
if ! pkg-config --exists openblas 2>/dev/null; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    echo "Installing libopenblas-dev (OpenBLAS + LAPACK) ..." >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libopenblas-dev pkg-config >&2
fi
if ! pkg-config --exists sqlite3 2>/dev/null; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    echo "Installing libsqlite3-dev (the run history's SQLite) ..." >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libsqlite3-dev pkg-config >&2
fi
