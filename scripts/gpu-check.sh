#!/usr/bin/env bash
# GPU check, for a machine with an NVIDIA GPU (and no Java: use what scripts/prepare-gpu-check.sh
# made), in one run:
#   1. nvidia-smi (name, driver, memory) and `initium backends` (which module image loaded);
#   2. with CUDA required (INITIUM_REQUIRE_BACKENDS=cuda: a missing CUDA fails, never skips):
#      the equivalence suite (every distribution x dtype against the CPU engine, bit for bit),
#      DeviceBackendTest (device-memory operations, a fill beyond 2^31 elements, the typed
#      out-of-memory), CudaRealDeviceTest (cubin, PTX and NVRTC images each equal to the CPU; a
#      buffer and stream of another driver user filled on that stream), and the library facade's
#      device tests (every class named dev.initium.*Device*Test or dev.initium.Api*Cuda*Test, such as
#      ApiCudaTargetTest: every scheme into caller-owned CUDA memory, on Initium's and the caller's stream);
#   3. fill throughput into a device buffer (16 GiB by default) beside the device's memset of it:
#      uniform, normal, trunc_normal in f32 and bf16; PyTorch's uniform_/normal_/trunc_normal_ and
#      zero_, and CuPy's generator, on the same sizes and dtypes in the same run;
#   4. materialize --backend cuda of examples/llama-3-8b/config.json to /dev/shm (else OUT), a
#      sampled verify against the CPU, and the fill-versus-write split of the same bytes;
# then one JSON of everything (device name, driver, date) and a table.
#
# Usage: scripts/gpu-check.sh [--size BYTES] [--out DIR] [--publish] [--model CONFIG] [--write-size BYTES]
#   --size     device buffer of the throughput runs (default 16GiB)
#   --model    the config materialized (default examples/llama-3-8b/config.json); --write-size the
#              bytes of the fill-versus-write measurement (default 16GB, the size of Llama-3-8B in bf16)
#   --out DIR  where the results go (default $OUT, else target/gpu-check): DIR/gpu-check.json,
#              and the log of every step
#   --publish  also copy the JSON to docs/gpu/gpu-check-DATE-DEVICE.json
# Exit code: 0 when every suite passed with nothing skipped and every step ran; 1 otherwise.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1
size=16GiB
out="${OUT:-$root/target/gpu-check}"
publish=0
model=examples/llama-3-8b/config.json
write_size=16GB
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --publish) publish=1; shift ;;
    --model) model="$2"; shift 2 ;;
    --write-size) write_size="$2"; shift 2 ;;
    *) echo "usage: scripts/gpu-check.sh [--size BYTES] [--out DIR] [--publish] [--model CONFIG] [--write-size BYTES]" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -f "$out"/steps.jsonl "$out"/suite-*.txt "$out"/*.jsonl "$out"/materialize.* "$out"/gpu-check.json
if [ -x .jre/bin/java ]; then export JAVA_HOME="$root/.jre"; else JAVA_HOME="$(bin/find-java)" || exit 1; export JAVA_HOME; fi
java="$JAVA_HOME/bin/java"
lib=target/lib; jarpath=target/classes
if [ -f target/gpu/initium.jar ]; then lib=target/gpu/lib; jarpath=target/gpu/initium.jar; export INITIUM_JAR="$root/target/gpu/initium.jar"; fi
console=$(ls target/test-lib/junit-platform-console-standalone-*.jar 2>/dev/null | head -n 1)
cp="$jarpath:target/test-classes:$(ls $lib/*.jar target/test-lib/*.jar 2>/dev/null | grep -v console-standalone | tr '\n' ':')"
# NVRTC (only the NVRTC image test needs it) loads its builtins library from the library path.
for d in /usr/local/cuda/lib64 ${CUDA_HOME:+$CUDA_HOME/lib64}; do
  [ -d "$d" ] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
done

# step NAME LOGFILE COMMAND...: runs it, records its exit code, wall time and last lines in steps.jsonl.
step() {
  local name="$1" log="$2"; shift 2
  echo "== $name"
  local t0 t1 rc
  t0=$(date +%s.%N)
  "$@" > "$log" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  tail -n 25 "$log"
  python3 - "$name" "$rc" "$t0" "$t1" "$log" >> "$out/steps.jsonl" <<'PY'
import json, sys
name, rc, t0, t1, log = sys.argv[1:]
lines = open(log, errors="replace").read().splitlines()
causes = [l.strip() for l in lines if l.strip().startswith("=> ")]  # JUnit's failure messages
tail = [] if rc == "0" else (sorted(set(causes), key=causes.index)[:3] if causes else lines[-6:])
print(json.dumps({"step": name, "rc": int(rc), "seconds": round(float(t1) - float(t0), 3), "log": log.rsplit("/", 1)[-1],
                  "tail": "\n".join(tail)}))
PY
  return $rc
}

junit() {
  local name="$1"; shift
  # shellcheck disable=SC2086 # INITIUM_JAVA_OPTS is a list of JVM options, as bin/initium takes it
  INITIUM_REQUIRE_BACKENDS=cuda "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g ${INITIUM_JAVA_OPTS:-} \
    -jar "$console" execute --class-path "$cp" "$@" --details=summary --disable-banner
}

python3 - "$out/meta.json" "$size" <<'PY'
import datetime, json, platform, socket, subprocess, sys
try:
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10).stdout.strip() or None
except Exception:
    commit = None
json.dump({"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "host": socket.gethostname(),
           "machine": platform.platform(), "git_commit": commit, "size": sys.argv[2]}, open(sys.argv[1], "w"))
PY

echo "== devices"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader > "$out/nvidia-smi.csv" 2>&1
else
  echo "nvidia-smi: not found (no NVIDIA driver on this machine)" > "$out/nvidia-smi.csv"
fi
cat "$out/nvidia-smi.csv"
step backends "$out/backends.txt" bin/initium backends

if [ -z "$console" ]; then
  echo "gpu-check: target/test-lib has no JUnit console launcher: run scripts/prepare-gpu-check.sh first" | tee "$out/suite-equivalence.txt"
else
  step suite:equivalence "$out/suite-equivalence.txt" junit equivalence --select-class dev.initium.backend.EquivalenceSuiteTest
  step suite:device_backend "$out/suite-device_backend.txt" junit device_backend --select-class dev.initium.backend.DeviceBackendTest
  step suite:cuda_device "$out/suite-cuda_device.txt" junit cuda_device --select-class dev.initium.backend.cuda.CudaRealDeviceTest
  step suite:facade_device "$out/suite-facade_device.txt" junit facade_device --scan-classpath "$root/target/test-classes" \
    --include-classname '^dev\.initium\.[A-Za-z0-9_]*Device[A-Za-z0-9_]*Test$' --include-classname '^dev\.initium\.Api[A-Za-z0-9_]*Cuda[A-Za-z0-9_]*Test$'
fi

step initium-bench "$out/initium-bench.err" sh -c "bin/initium bench --backend cuda --size '$size' --dist uniform,normal,trunc_normal \
  --dtype f32,bf16 --repeat 5 --json > '$out/initium-bench.jsonl'"
cat "$out/initium-bench.jsonl"
nbytes=$(python3 - "$size" <<'PY'
import re, sys
m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?", sys.argv[1].strip(), re.I)
units = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
print(int(float(m.group(1)) * units[(m.group(2) or "B").upper()]))
PY
)
step frameworks "$out/frameworks.txt" python3 scripts/gpu-check/frameworks.py "$nbytes" "$out/others.jsonl"

dest=/dev/shm/initium-gpu-check
mkdir -p "$dest" 2>/dev/null && [ -w "$dest" ] || dest="$out/materialize-out"
mkdir -p "$dest"
t0=$(date +%s.%N)
step materialize "$out/materialize.txt" bin/initium materialize --model "$model" --out "$dest/model" --backend cuda --force
rc=$?
t1=$(date +%s.%N)
verify=null
if [ $rc -eq 0 ]; then
  step verify "$out/verify.txt" bin/initium verify --model "$model" --sample 32 "$dest/model"
  verify=$?
fi
echo "{\"backend\": \"cuda\", \"model\": \"$model\", \"out\": \"$dest\", \"rc\": $rc, \"wall_seconds\": $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'), \"verify_rc\": $verify}" \
  > "$out/materialize.json"
rm -rf "$dest/model"
step write-bench "$out/write-bench.err" sh -c "bin/initium bench --backend cuda --write '$dest' --size '$write_size' --dist normal \
  --dtype bf16 --json > '$out/write-bench.jsonl'"
rmdir "$dest" 2>/dev/null || true

echo "== report"
python3 scripts/gpu-check/report.py "$out"
status=$?
if [ "$publish" = 1 ]; then
  name=$(python3 -c "import json,re,sys; r=json.load(open(sys.argv[1])); print(r['date'][:10] + '-' + re.sub('[^a-z0-9]+', '-', r['device'].get('name', 'no-gpu').lower()).strip('-'))" "$out/gpu-check.json")
  mkdir -p docs/gpu
  cp "$out/gpu-check.json" "docs/gpu/gpu-check-$name.json"
  echo "gpu-check: results in docs/gpu/gpu-check-$name.json"
fi
echo "gpu-check: results in $out/gpu-check.json"
exit $status
