#!/usr/bin/env bash
# Prepares, on a machine with JDK 25 and Maven access, everything scripts/gpu-check.sh needs on a
# GPU machine that has no Java: the jar and its libraries (target/), the compiled tests and their
# libraries with the JUnit console launcher (target/test-lib), and a jlinked Java 25 runtime (.jre).
# Carry .jre target/gpu target/test-lib target/test-classes to the GPU machine (about 60 MiB together).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA_HOME="$(bin/find-java --jdk)"
export JAVA_HOME
./mvnw -q -B -DskipTests package test-compile
rm -rf target/test-lib
./mvnw -q -B dependency:copy-dependencies -DincludeScope=test -DoutputDirectory=target/test-lib
./mvnw -q -B dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.13.4 -DoutputDirectory=target/test-lib
# The runtime libraries are in target/lib already; the console launcher carries JUnit itself.
for f in target/lib/*.jar; do rm -f "target/test-lib/$(basename "$f")"; done
rm -f target/test-lib/junit-jupiter-*.jar target/test-lib/junit-platform-commons-*.jar target/test-lib/junit-platform-engine-*.jar
# The GPU run needs neither OpenBLAS (orthogonal) nor the other natives: a jar and libraries without it.
rm -rf target/gpu
mkdir -p target/gpu/lib
cp target/initium.jar target/gpu/
for f in target/lib/*.jar; do case "$(basename "$f")" in openblas-*) ;; *) cp "$f" target/gpu/lib/ ;; esac; done
rm -rf .jre
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output .jre
du -sh .jre target/gpu target/test-lib target/test-classes | sed 's/^/prepare-gpu-check: /'
echo "prepare-gpu-check: carry .jre target/gpu target/test-lib target/test-classes"
echo "prepare-gpu-check: then run: bash scripts/gpu-check.sh 16GiB"
