#!/usr/bin/env bash
# The CPU figures of the README in one run: Initium's fills against MemorySegment.fill of the same
# buffer, then PyTorch's CPU uniform_/normal_/trunc_normal_ and orthogonal_ with the same thread count
# (Debian's python3-torch where installed), and Initium's orthogonal, printing the ratios.
# Usage: scripts/bench-cpu.sh [THREADS]   (default: all processors)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
threads="${1:-$(nproc)}"
out="$(mktemp -d)"
echo "== machine: $(nproc) processors, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
bin/initium bench --size 1GiB --threads "$threads" --repeat 5 --json | tee "$out/initium.jsonl"
bin/initium bench --init orthogonal --shape 4096,4096 --dtype f32 --threads "$threads" --repeat 5 --json | tee "$out/ortho.jsonl"
py=/usr/bin/python3
"$py" - "$threads" "$out" <<'PY' || echo "bench-cpu: PyTorch not measured (install python3-torch)"
import json, sys, time
threads, out = int(sys.argv[1]), sys.argv[2]
import torch
torch.set_num_threads(threads)
n = 256 * 1024 * 1024
t = torch.empty(n)
rows = {}
for name, fn in (("uniform", lambda: t.uniform_()), ("normal", lambda: t.normal_()), ("trunc_normal", lambda: torch.nn.init.trunc_normal_(t))):
    fn()
    times = []
    for _ in range(3):
        s = time.perf_counter(); fn(); times.append(time.perf_counter() - s)
    rows[name] = n * 4 / sorted(times)[1] / 1e9
w = torch.empty(4096, 4096)
s = time.perf_counter(); torch.nn.init.orthogonal_(w); ortho = time.perf_counter() - s
ini = {json.loads(l)["dist"]: json.loads(l) for l in open(out + "/initium.jsonl") if '"f32"' in l}
ort = json.loads(open(out + "/ortho.jsonl").read())
print("torch %s, %d threads (same run):" % (torch.__version__, threads))
for d, g in rows.items():
    print("  f32 %-12s torch %.2f GB/s   initium %.2f GB/s   x%.1f" % (d, g, ini[d]["gbps"], ini[d]["gbps"] / g))
print("  orthogonal 4096^2  torch %.2f s   initium %.2f s   x%.1f" % (ortho, ort["seconds"], ortho / ort["seconds"]))
PY
rm -rf "$out"
