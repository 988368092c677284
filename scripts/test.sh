#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs every test: SwiftPM (unit + embedded-CPython
# cross-checks), CTest (C examples, header, exported symbols) and pytest (the Python package).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "== SwiftPM: build and test"
swift build --build-tests
# SwiftPM names the file libssmkit.so; its soname is libssmkit.so.0 (as CMake's build): link it.
ln -sf libssmkit.so .build/debug/libssmkit.so.0
bash scripts/check_exports.sh .build/debug/libssmkit.so
swift test --skip-build

echo "== CMake + CTest"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build
ctest --test-dir build --output-on-failure

echo "== pytest (against the SwiftPM library)"
SSMKIT_LIBRARY="$PWD/.build/debug/libssmkit.so" PYTHONPATH="$PWD/python" \
    python3 -m pytest -q python/tests
