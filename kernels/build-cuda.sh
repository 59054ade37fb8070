#!/usr/bin/env bash
# Compiles kernels/initium_fill.cu to PTX (compute_80, runs on sm_80 and newer through the
# driver's JIT) and to cubins for sm_80 (A100) and sm_90 (H100, H200), into OUTDIR/cuda.
# Called by the Maven build (generate-resources). Without nvcc on PATH it does nothing: the CUDA
# backend then compiles the kernel source at run time with NVRTC. A compile error fails the build.
set -euo pipefail
out="${1:?usage: build-cuda.sh OUTDIR}/cuda"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v nvcc >/dev/null 2>&1; then
  echo "build-cuda.sh: nvcc not on PATH; no prebuilt CUDA kernels (NVRTC compiles them at run time)"
  exit 0
fi
mkdir -p "$out"
flags=(-std=c++17 -fmad=false -prec-div=true -prec-sqrt=true -ftz=false -I "$here")
src="$here/initium_fill.cu"
stamp="$out/.built-from"
sum=$(cat "$here"/*.h "$src" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
  echo "build-cuda.sh: CUDA kernels up to date"
  exit 0
fi
nvcc "${flags[@]}" -arch=compute_80 -ptx -o "$out/initium_fill.compute_80.ptx" "$src"
nvcc "${flags[@]}" -arch=sm_80 -cubin -o "$out/initium_fill.sm_80.cubin" "$src"
nvcc "${flags[@]}" -arch=sm_90 -cubin -o "$out/initium_fill.sm_90.cubin" "$src"
echo "$sum" > "$stamp"
echo "build-cuda.sh: built PTX (compute_80) and cubins (sm_80, sm_90) with $(nvcc --version | tail -n 2 | head -n 1)"
