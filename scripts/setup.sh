#!/usr/bin/env bash
# Installs what SSMKit needs on a fresh Debian machine (only what is missing):
#   Debian: cmake ninja-build pkg-config libopenblas-dev liblapacke-dev libpython3-dev python3-numpy
#           python3-scipy python3-pytest (the last three make Debian's own python3 ready)
#   PyPI (for the python3 on PATH): numpy scipy pytest mpmath (mpmath: 50-digit references in tests)
# Swift 6.3 must already be installed (swift.org toolchain).
set -euo pipefail

packages=(cmake ninja-build pkg-config libopenblas-dev liblapacke-dev libpython3-dev python3-numpy python3-scipy python3-pytest)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! python3 -c "import numpy, scipy, pytest, mpmath" 2>/dev/null; then
    echo "setup: installing numpy, scipy, pytest, mpmath from PyPI for $(command -v python3)"
    python3 -m pip install --quiet numpy scipy pytest mpmath
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH; install Swift 6.3 from swift.org" >&2; exit 1; }
