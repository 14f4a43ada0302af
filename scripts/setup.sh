#!/usr/bin/env bash
# Installs the system libraries CreditSim needs on Debian (OpenBLAS with LAPACK), if missing.
set -euo pipefail

# install_missing PKG_CONFIG_NAME DEBIAN_PACKAGE WHAT: installs the package when pkg-config
# does not know the library.
install_missing() {
    if ! pkg-config --exists "$1" 2>/dev/null; then
        SUDO=""
        if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
        echo "Installing $2 ($3) ..." >&2
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$2" pkg-config >&2
    fi
}

install_missing openblas libopenblas-dev "OpenBLAS + LAPACK"
install_missing sqlite3 libsqlite3-dev "the run history's SQLite"
