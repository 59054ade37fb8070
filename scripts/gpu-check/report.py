"""Assembles scripts/gpu-check.sh's outputs in DIR into DIR/gpu-check.json and prints the table.

Usage: python3 report.py DIR
Exit code 0 when every suite passed (nothing failed or skipped, tests found) and every step ran; else 1.
"""
import json
import os
import re
import sys

SUITES = ("equivalence", "device_backend", "cuda_device", "facade_device")
COUNTS = re.compile(r"\[\s*(\d+) (tests|containers) (found|skipped|started|aborted|successful|failed)\s*\]")


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def jsonl(path):
    text = read(path, "")
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


def suite(out, name):
    text = read(os.path.join(out, f"suite-{name}.txt"))
    if text is None:
        return {"ran": False}
    counts = {}
    for n, kind, what in COUNTS.findall(text):
        counts[("" if kind == "tests" else "containers_") + what] = int(n)
    failures = [line.strip() for line in text.splitlines()
                if re.match(r"\s*(MethodSource|=>|JUnit Jupiter:)", line) or "Exception" in line or "Error:" in line][:40]
    s = {"ran": True, **{k: counts.get(k, 0) for k in ("found", "successful", "skipped", "aborted", "failed", "containers_failed",
                                                         "containers_aborted")}}
    s["passed"] = s["found"] > 0 and s["failed"] == 0 and s["skipped"] == 0 and s["aborted"] == 0 and s["containers_failed"] == 0 \
        and s["containers_aborted"] == 0
    if not s["passed"]:
        s["messages"] = failures
    return s


def main():
    out = sys.argv[1]
    meta = json.loads(read(os.path.join(out, "meta.json"), "{}"))
    steps = jsonl(os.path.join(out, "steps.jsonl"))
    smi = (read(os.path.join(out, "nvidia-smi.csv"), "") or "").strip()
    device = {"nvidia_smi": smi}
    if smi and "," in smi.splitlines()[0]:
        parts = [p.strip() for p in smi.splitlines()[0].split(",")]
        device.update(dict(zip(("name", "driver", "memory", "compute_cap"), parts)))
    backends = read(os.path.join(out, "backends.txt"), "")
    cuda_line = next((line.strip() for line in backends.splitlines() if line.startswith("cuda ")), "cuda: no line")
    image = re.search(r"kernels on cuda:0: (.*)\)$", cuda_line)
    suites = {name: suite(out, name) for name in SUITES}
    facade = suites["facade_device"]
    if facade.get("ran") and facade.get("found", 0) == 0 and facade.get("failed", 0) == 0:
        facade["note"] = "no test class matching dev.initium.*Device*Test or dev.initium.Api*Cuda*Test is present"
        facade["passed"] = True

    bench = jsonl(os.path.join(out, "initium-bench.jsonl"))
    others = jsonl(os.path.join(out, "others.jsonl"))
    rows = []
    for r in bench:
        def other(impl, dist=r["dist"]):
            o = next((o for o in others if o.get("impl") == impl and o.get("dist") == dist and o.get("dtype") == r["dtype"]), None)
            return o.get("gbps") if o else None
        torch_gbps, cupy_gbps, torch_memset = other("torch"), other("cupy"), other("torch zero_", "memset")
        rows.append({"dist": r["dist"], "dtype": r["dtype"], "bytes": r.get("bytes"), "initium_gbps": r["gbps"],
                     "memset_gbps": r.get("memory_fill_gbps", r.get("fill_gbps")), "ratio_to_memset": r["ratio"], "torch_gbps": torch_gbps,
                     "x_torch": r["gbps"] / torch_gbps if torch_gbps else None, "cupy_gbps": cupy_gbps,
                     "x_cupy": r["gbps"] / cupy_gbps if cupy_gbps else None, "torch_memset_gbps": torch_memset,
                     "kernel": r.get("kernel")})
    targets = []

    def target(name, value, want):
        targets.append({"target": name, "value": value, "wanted": want, "met": None if value is None else value >= want})

    def row(dist, dtype):
        return next((x for x in rows if x["dist"] == dist and x["dtype"] == dtype), {})
    target("f32 uniform / torch uniform_", row("uniform", "f32").get("x_torch"), 1.0)
    target("f32 normal / torch normal_", row("normal", "f32").get("x_torch"), 1.0)
    target("f32 trunc_normal / torch trunc_normal_", row("trunc_normal", "f32").get("x_torch"), 3.0)
    target("bf16 trunc_normal / torch trunc_normal_", row("trunc_normal", "bf16").get("x_torch"), 3.0)
    target("bf16 normal / memset", row("normal", "bf16").get("ratio_to_memset"), 0.5)

    mat = json.loads(read(os.path.join(out, "materialize.json"), "{}") or "{}")
    summary = re.search(r"materialize: .*?, ([\d.]+) GB in ([\d.]+) s", read(os.path.join(out, "materialize.txt"), "") or "")
    if summary:
        mat["gb"], mat["seconds_reported"] = float(summary.group(1)), float(summary.group(2))
    wb = jsonl(os.path.join(out, "write-bench.jsonl"))
    if wb:
        mat["bench_write"] = wb[0]

    errors = []
    for s in steps:
        if s.get("rc", 0) != 0:
            errors.append(f"step {s['step']} exited {s['rc']}: " + (s.get("tail") or "").strip())
    for o in others:
        if o.get("impl") == "error" or "error" in o:
            errors.append(f"{o.get('impl')} {o.get('dist', '')} {o.get('dtype', '')}: {o['error']}".strip())

    report = {"schema": "initium-gpu-check/1", **meta, "device": device, "backends": backends.strip(), "cuda_status": cuda_line,
              "module_image": image.group(1) if image else None, "suites": suites,
              "throughput": {"rows": rows, "frameworks": others}, "targets": targets, "materialize": mat, "steps": steps, "errors": errors}
    with open(os.path.join(out, "gpu-check.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")

    print(f"device: {device.get('name', smi or 'none')}  driver: {device.get('driver', '-')}  date: {meta.get('date')}")
    print(f"cuda:   {cuda_line}")
    for name, s in suites.items():
        if not s.get("ran"):
            print(f"suite {name:15} not run")
        else:
            print(f"suite {name:15} found {s['found']:4} ok {s['successful']:4} skipped {s['skipped']:4} failed {s['failed']:4} "
                  f"{'PASSED' if s['passed'] else 'NOT PASSED'}{' (' + s['note'] + ')' if 'note' in s else ''}")
    fmt = "{:13} {:5} {:>11} {:>11} {:>6} {:>10} {:>7} {:>9}"
    print(fmt.format("dist", "dtype", "initium GB/s", "memset GB/s", "ratio", "torch GB/s", "x torch", "cupy GB/s"))
    for r in rows:
        f = lambda v, p="%.1f": (p % v) if v is not None else "n/a"
        print(fmt.format(r["dist"], r["dtype"], f(r["initium_gbps"]), f(r["memset_gbps"]), f(r["ratio_to_memset"], "%.3f"),
                         f(r["torch_gbps"]), f(r["x_torch"], "%.2f"), f(r["cupy_gbps"])))
    if not rows:
        print("(no Initium throughput rows: see initium-bench.err)")
    for t in targets:
        print(f"target {t['target']:42} {('%.3f' % t['value']) if t['value'] is not None else 'n/a':>7} >= {t['wanted']}: "
              f"{'met' if t['met'] else 'not met' if t['met'] is not None else 'not measured'}")
    if mat:
        print("materialize: " + json.dumps({k: v for k, v in mat.items() if k != "bench_write"}))
        if "bench_write" in mat:
            w = mat["bench_write"]
            print(f"  fill {w['fill_seconds']:.2f} s ({w['fill_gbps']:.2f} GB/s) vs write {w['write_seconds']:.2f} s ({w['write_gbps']:.2f} GB/s)")
    for e in errors:
        print("error: " + e)
    ok = all(s.get("passed") for s in suites.values()) and not any(s.get("rc", 0) != 0 for s in steps) and rows
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
