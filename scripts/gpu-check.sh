#!/usr/bin/env bash
# GPU check, for a machine with an NVIDIA GPU, in one go:
#   1. the CUDA equivalence suite (EquivalenceSuiteTest with CUDA required, not skipped);
#   2. Initium's fill throughput for f32 uniform, normal, truncated normal and bf16 normal into a
#      device buffer (16 GiB by default), next to the device's own memset of that buffer;
#   3. in the same run, PyTorch's torch.empty(n, device='cuda').uniform_() / .normal_() (and
#      trunc_normal_), and CuPy's generator where installed;
# then one table with GB/s and the ratios. Needs target/ and .jre from scripts/prepare-gpu-check.sh
# (or a JDK 25 on PATH). Usage: scripts/gpu-check.sh [BYTES]   (default 16GiB)
# Exit code: 0 when the suite passed and every measurement ran; 1 otherwise.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
size="${1:-16GiB}"
if [ -x .jre/bin/java ]; then export JAVA_HOME="$root/.jre"; else JAVA_HOME="$(bin/find-java)" || exit 1; export JAVA_HOME; fi
java="$JAVA_HOME/bin/java"
out="${OUT:-$root/target/gpu-check}"
mkdir -p "$out"
status=0

echo "== devices"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
bin/initium backends | tee "$out/backends.txt"

echo "== CUDA equivalence suite"
lib=target/lib; jarpath=target/classes
if [ -f target/gpu/initium.jar ]; then lib=target/gpu/lib; jarpath=target/gpu/initium.jar; export INITIUM_JAR="$root/target/gpu/initium.jar"; fi
cp="$jarpath:target/test-classes:$(ls $lib/*.jar target/test-lib/*.jar | grep -v console-standalone | tr '\n' ':')"
INITIUM_REQUIRE_BACKENDS=cuda "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -jar target/test-lib/junit-platform-console-standalone-*.jar execute --class-path "$cp" \
  --select-class dev.initium.backend.EquivalenceSuiteTest --details=summary --disable-banner 2>&1 | tee "$out/equivalence.txt"
grep -q "tests failed: *0" "$out/equivalence.txt" && grep -q "tests skipped: *0" "$out/equivalence.txt" || { echo "gpu-check: equivalence suite did not pass cleanly"; status=1; }

echo "== Initium fill throughput ($size)"
bin/initium bench --backend cuda --size "$size" --dist uniform,normal,trunc_normal --dtype f32 --repeat 5 --json > "$out/initium.jsonl" || status=1
bin/initium bench --backend cuda --size "$size" --dist normal --dtype bf16 --repeat 5 --json >> "$out/initium.jsonl" || status=1
cat "$out/initium.jsonl"

echo "== PyTorch and CuPy ($size)"
python3 - "$size" "$out" <<'PY' || status=1
import json, sys, re
size_text, out = sys.argv[1], sys.argv[2]
m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?", size_text.strip(), re.I)
units = {None: 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
nbytes = int(float(m.group(1)) * units[(m.group(2) or "B").upper()])
rows = []
def timed(fn, reps=5):
    import torch
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    fn(); torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start.record(); fn(); stop.record(); stop.synchronize()
        times.append(start.elapsed_time(stop) / 1e3)
    return sorted(times)[len(times) // 2]
try:
    import torch
    for dt, name in ((torch.float32, "f32"), (torch.bfloat16, "bf16")):
        n = nbytes // (4 if dt == torch.float32 else 2)
        t = torch.empty(n, device="cuda", dtype=dt)
        for dist, fn in (("uniform", lambda: t.uniform_()), ("normal", lambda: t.normal_()),
                         ("trunc_normal", lambda: torch.nn.init.trunc_normal_(t))):
            if name == "bf16" and dist != "normal":
                continue
            sec = timed(fn)
            rows.append({"impl": "torch " + torch.__version__, "dist": dist, "dtype": name, "gbps": nbytes / sec / 1e9})
        del t
        torch.cuda.empty_cache()
except Exception as e:
    print("gpu-check: PyTorch not measured:", e)
try:
    import cupy
    n = nbytes // 4
    rng = cupy.random.default_rng(0)
    a = cupy.empty(n, dtype=cupy.float32)
    for dist, fn in (("uniform", lambda: rng.random(out=a)), ("normal", lambda: rng.standard_normal(out=a))):
        fn(); cupy.cuda.Device().synchronize()
        s, e = cupy.cuda.Event(), cupy.cuda.Event()
        times = []
        for _ in range(5):
            s.record(); fn(); e.record(); e.synchronize()
            times.append(cupy.cuda.get_elapsed_time(s, e) / 1e3)
        rows.append({"impl": "cupy " + cupy.__version__, "dist": dist, "dtype": "f32", "gbps": nbytes / sorted(times)[2] / 1e9})
except Exception as e:
    print("gpu-check: CuPy not measured:", e)
with open(out + "/others.jsonl", "w") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
PY

echo "== Table"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
ini = [json.loads(l) for l in open(out + "/initium.jsonl") if l.strip()]
try:
    oth = [json.loads(l) for l in open(out + "/others.jsonl") if l.strip()]
except FileNotFoundError:
    oth = []
targets = {"uniform": 0.85, "normal": 0.75, "trunc_normal": 0.70}
print(f"{'dist':13} {'dtype':5} {'initium GB/s':>12} {'memset GB/s':>11} {'ratio':>6} {'target':>6} {'torch GB/s':>10} {'x torch':>7} {'cupy GB/s':>9}")
for r in ini:
    torch = next((o["gbps"] for o in oth if o["impl"].startswith("torch") and o["dist"] == r["dist"] and o["dtype"] == r["dtype"]), None)
    cupy = next((o["gbps"] for o in oth if o["impl"].startswith("cupy") and o["dist"] == r["dist"] and o["dtype"] == r["dtype"]), None)
    tgt = targets.get(r["dist"]) if r["dtype"] == "f32" else None
    print(f"{r['dist']:13} {r['dtype']:5} {r['gbps']:12.1f} {r['memory_fill_gbps']:11.1f} {r['ratio']:6.3f} {('>=%.2f' % tgt) if tgt else '':>6} "
          f"{(('%10.1f' % torch) if torch else 'n/a'):>10} {(('%7.2f' % (r['gbps'] / torch)) if torch else 'n/a'):>7} {(('%9.1f' % cupy) if cupy else 'n/a'):>9}")
PY
exit $status
