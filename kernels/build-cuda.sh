#!/usr/bin/env bash
# Compiles kernels/initium_fill.cu into the module images the CUDA backend loads, into OUTDIR/cuda:
#   initium_fill.sm_XY.cubin     for every architecture this nvcc supports among
#                                sm_80 sm_86 sm_89 sm_90 sm_100 sm_120 (A100, A40/A10, L40/L4,
#                                H100/H200, B200, RTX 50xx/PRO 6000)
#   initium_fill.compute_80.ptx  PTX, which the driver JIT-compiles for any sm_80 or newer GPU
#   build-info.properties        the CUDA version that built them and the list of images
# Called by the Maven build (generate-resources). Without nvcc on PATH it does nothing: the CUDA
# backend then compiles the kernel source at run time with NVRTC. A compile error fails the build.
# At run time the backend loads the cubin for the device, else the PTX, else NVRTC's output
# (dev.initium.backend.cuda.CudaModules); the flags below keep the bits equal to the Java reference.
set -euo pipefail
out="${1:?usage: build-cuda.sh OUTDIR}/cuda"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v nvcc >/dev/null 2>&1; then
  echo "build-cuda.sh: nvcc not on PATH; no prebuilt CUDA kernels (NVRTC compiles them at run time)"
  exit 0
fi
wanted=(80 86 89 90 100 120)
flags=(-std=c++17 -fmad=false -prec-div=true -prec-sqrt=true -ftz=false -I "$here")
src="$here/initium_fill.cu"
version="$(nvcc --version | sed -n 's/.*release \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -n 1)"
supported=" $(nvcc --list-gpu-code 2>/dev/null | tr '\n' ' ') "
archs=()
for a in "${wanted[@]}"; do
  case "$supported" in *" sm_$a "*) archs+=("$a") ;; esac
done
stamp="$out/.built-from"
sum=$( (cat "$here"/*.h "$src" "${BASH_SOURCE[0]}"; echo "$version ${archs[*]}") | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
  echo "build-cuda.sh: CUDA kernels up to date"
  exit 0
fi
rm -rf "$out"
mkdir -p "$out"
nvcc "${flags[@]}" -arch=compute_80 -ptx -o "$out/initium_fill.compute_80.ptx" "$src"
images="ptx:compute_80"
for a in "${archs[@]}"; do
  nvcc "${flags[@]}" -arch="sm_$a" -cubin -o "$out/initium_fill.sm_$a.cubin" "$src" &
done
wait_all() { local rc=0; for job in $(jobs -p); do wait "$job" || rc=1; done; return $rc; }
wait_all || { echo "build-cuda.sh: nvcc failed" >&2; exit 1; }
for a in "${archs[@]}"; do
  [ -s "$out/initium_fill.sm_$a.cubin" ] || { echo "build-cuda.sh: sm_$a cubin missing" >&2; exit 1; }
  images="$images cubin:sm_$a"
done
{
  echo "# Written by kernels/build-cuda.sh: the CUDA toolkit that built the packaged module images."
  echo "cuda.version=$version"
  echo "images=$images"
} > "$out/build-info.properties"
echo "$sum" > "$stamp"
echo "build-cuda.sh: built PTX (compute_80) and cubins (${archs[*]/#/sm_}) with CUDA $version"
