#!/usr/bin/env bash
# The TornadoVM figures of the README in one run: host fills (computed by the backend, then copied
# into a host buffer) of the tornadovm backend, of the opencl backend (bench --host: the kernels/
# OpenCL C on the same device) and of the Java CPU engine, each against MemorySegment.fill of the
# same host buffer, same size, dtypes and threads. The cpu and opencl runs start Java without
# TornadoVM's argfile, as users run them.
# Usage: TORNADOVM_HOME=/path/to/sdk scripts/bench-tornadovm.sh [SIZE] [THREADS]   (default 256MiB, all processors)
# Needs a jar built with -Ptornadovm (./mvnw -Ptornadovm -DskipTests package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
size="${1:-256MiB}"
threads="${2:-$(nproc)}"
: "${TORNADOVM_HOME:?set TORNADOVM_HOME to a TornadoVM SDK}"
if ! bin/initium backends | grep -q '^tornadovm  *available'; then
  bin/initium backends | grep '^tornadovm' >&2
  exit 1
fi
echo "== machine: $(nproc) processors, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
args=(bench --size "$size" --threads "$threads" --repeat 5 --dtype f32,bf16,f16)
bin/initium "${args[@]}" --backend tornadovm
(unset TORNADOVM_HOME; bin/initium "${args[@]}" --backend opencl --host)
(unset TORNADOVM_HOME; bin/initium "${args[@]}" --backend cpu)
