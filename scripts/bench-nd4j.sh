#!/usr/bin/env bash
# The ND4J figures of the README in one run (dev.initium.nd4j.Nd4jBench, a program in the test
# sources): Initium through Nd4jFill against Nd4j.randn(arr) / Nd4j.rand(arr) on a 2^26-element FLOAT
# INDArray on nd4j-native, and the sample statistics of Nd4j.randn beside Initium's normal.
# Usage: scripts/bench-nd4j.sh [REPEAT [LOG2_ELEMENTS [SEEDS]]]   (defaults 9 26 16)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA_HOME="$(bin/find-java --jdk)"
export JAVA_HOME
./mvnw -q -B test-compile
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
# nd4j-cuda-11.6 is on the compile class path only (as in the tests): keep it off.
cp="$(tr ':' '\n' < "$cp_file" | grep -v 'nd4j-cuda-11.6' | paste -sd: -)"
echo "== machine: $(nproc) processors, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx3g \
  -cp "target/classes:target/test-classes:$cp" dev.initium.nd4j.Nd4jBench "$@" \
  2> >(grep --line-buffered -v -e '^WARNING' -e '^SLF4J' >&2)
