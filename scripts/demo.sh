#!/usr/bin/env bash
# Sets everything up on a fresh machine and runs SSMKit's main job: `python -m ssmkit demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product ssmkit
ln -sf libssmkit.so .build/release/libssmkit.so.0
SSMKIT_LIBRARY="$PWD/.build/release/libssmkit.so" PYTHONPATH="$PWD/python" python3 -m ssmkit demo "$@"
