#!/usr/bin/env bash
# Prepares, on a machine with JDK 25 and Maven access, everything scripts/gpu-check.sh needs on a
# GPU machine that has no Java: the jar and its libraries (target/gpu), the compiled tests with
# their libraries and the JUnit console launcher (target/test-classes, target/test-lib), and a
# jlinked Java 25 runtime (.jre). The CUDA backend needs no jar of its own: it calls the NVIDIA
# driver (libcuda.so.1) through the FFM API, and the module images (cubins, PTX) are in
# initium.jar. With nvcc on PATH the build packages the cubins; without it only NVRTC (on the GPU
# machine) can supply the kernels.
# Carry .jre target/gpu target/test-lib target/test-classes (the total is printed; the device
# machines take 64 MiB), then run: bash scripts/gpu-check.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA_HOME="$(bin/find-java --jdk)"
export JAVA_HOME
limit_mib=64
./mvnw -q -B -DskipTests package test-compile
if ! command -v nvcc >/dev/null 2>&1; then
  echo "prepare-gpu-check: warning: nvcc is not on PATH, so initium.jar has no cubins or PTX; the GPU machine must have libnvrtc" >&2
fi
rm -rf target/test-lib
# Only the test libraries the GPU suites use (Commons RNG); not the ND4J/DL4J, YAML or ASM test
# stacks of the rest of the suite (ND4J's native jar alone is 91 MB), which the GPU check never loads.
./mvnw -q -B dependency:copy-dependencies -DincludeScope=test -DincludeArtifactIds=commons-rng-core,commons-rng-client-api \
  -DoutputDirectory=target/test-lib
./mvnw -q -B dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.13.4 -DoutputDirectory=target/test-lib
# The runtime libraries travel in target/gpu/lib; the console launcher carries JUnit itself.
for f in target/lib/*.jar; do rm -f "target/test-lib/$(basename "$f")"; done
rm -f target/test-lib/junit-jupiter-*.jar target/test-lib/junit-platform-commons-*.jar target/test-lib/junit-platform-engine-*.jar \
  target/test-lib/opentest4j-*.jar target/test-lib/apiguardian-*.jar
rm -rf target/gpu
mkdir -p target/gpu/lib
cp target/initium.jar target/gpu/
cp target/lib/*.jar target/gpu/lib/
# OpenBLAS (LAPACK for orthogonal, computed on the host even for device targets): its natives jar
# without the headers and the unused "full" JNI variant, 16 instead of 20 MB.
for f in target/gpu/lib/openblas-*-linux-x86_64.jar; do
  [ -f "$f" ] && zip -q -d "$f" 'org/bytedeco/openblas/linux-x86_64/libjniopenblas_full.so' 'org/bytedeco/openblas/linux-x86_64/include/*' || true
done
# A Java 25 runtime of the modules Initium, JavaCPP (jdk.unsupported) and JUnit use; libjvm.so without symbols.
rm -rf .jre
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output .jre 2>&1 | grep -v '^WARNING: Using incubator modules' || true
if command -v strip >/dev/null 2>&1; then strip --strip-unneeded .jre/lib/server/libjvm.so; fi
.jre/bin/java -version >/dev/null 2>&1 || { echo "prepare-gpu-check: the jlinked runtime does not start" >&2; exit 1; }
carry_kib() { du -sk .jre target/gpu target/test-lib target/test-classes | awk '{s += $1} END {print s}'; }
if [ "$(carry_kib)" -gt $((limit_mib * 1024)) ]; then
  echo "prepare-gpu-check: warning: over ${limit_mib} MiB with OpenBLAS; leaving it out (orthogonal fills will be unavailable on the GPU machine)" >&2
  rm -f target/gpu/lib/openblas-*.jar
fi
du -sh .jre target/gpu target/test-lib target/test-classes | sed 's/^/prepare-gpu-check: /'
total_kib=$(carry_kib)
echo "prepare-gpu-check: carry .jre target/gpu target/test-lib target/test-classes: $((total_kib / 1024)) MiB in all (limit ${limit_mib} MiB)"
if [ "$total_kib" -gt $((limit_mib * 1024)) ]; then
  echo "prepare-gpu-check: the carry exceeds ${limit_mib} MiB" >&2
  exit 1
fi
echo "prepare-gpu-check: then run on the GPU machine: bash scripts/gpu-check.sh --size 16GiB --out \"\$OUT\""
