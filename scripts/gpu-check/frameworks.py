"""PyTorch and CuPy fills on the same device, sizes and dtypes as Initium's bench, for scripts/gpu-check.sh.

Usage: python3 frameworks.py BYTES OUT.jsonl
Each row: {"impl", "version", "dist", "dtype", "bytes", "seconds", "gbps"} or {"impl", "dist", "dtype", "error"}.
Times are CUDA-event times of one call on a tensor that already exists, median of 5 after a warm-up call;
torch zero_ is the framework's memset of the same tensor (the bandwidth reference).
"""
import json
import statistics
import sys

REPEAT = 5


def median_seconds(fn, start, stop, sync, elapsed_ms):
    fn()
    sync()
    times = []
    for _ in range(REPEAT):
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(elapsed_ms(start, stop) / 1e3)
    return statistics.median(times)


def torch_rows(nbytes):
    import torch
    if not torch.cuda.is_available():
        raise RuntimeError("torch.cuda.is_available() is False")
    rows = []
    for dtype, name, size in ((torch.float32, "f32", 4), (torch.bfloat16, "bf16", 2)):
        t = torch.empty(nbytes // size, device="cuda", dtype=dtype)
        cases = (("memset", lambda: t.zero_()), ("uniform", lambda: t.uniform_()), ("normal", lambda: t.normal_()),
                 ("trunc_normal", lambda: torch.nn.init.trunc_normal_(t)))
        for dist, fn in cases:
            impl = "torch zero_" if dist == "memset" else "torch"
            try:
                s = median_seconds(fn, torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True),
                                   torch.cuda.synchronize, lambda a, b: a.elapsed_time(b))
                rows.append({"impl": impl, "version": torch.__version__, "dist": dist, "dtype": name, "bytes": nbytes,
                             "seconds": s, "gbps": nbytes / s / 1e9})
            except Exception as e:  # a dtype a framework does not support is a result, not a crash
                rows.append({"impl": impl, "version": torch.__version__, "dist": dist, "dtype": name, "error": repr(e)})
        del t
        torch.cuda.empty_cache()
    return rows


def cupy_rows(nbytes):
    import cupy
    rows = []
    rng = cupy.random.default_rng(0)
    a = cupy.empty(nbytes // 4, dtype=cupy.float32)
    for dist, fn in (("uniform", lambda: rng.random(out=a)), ("normal", lambda: rng.standard_normal(out=a))):
        try:
            s = median_seconds(fn, cupy.cuda.Event(), cupy.cuda.Event(), cupy.cuda.Device().synchronize, cupy.cuda.get_elapsed_time)
            rows.append({"impl": "cupy", "version": cupy.__version__, "dist": dist, "dtype": "f32", "bytes": nbytes, "seconds": s,
                         "gbps": nbytes / s / 1e9})
        except Exception as e:
            rows.append({"impl": "cupy", "version": cupy.__version__, "dist": dist, "dtype": "f32", "error": repr(e)})
    for dist, dtype in (("trunc_normal", "f32"), ("uniform", "bf16"), ("normal", "bf16"), ("trunc_normal", "bf16")):
        rows.append({"impl": "cupy", "version": cupy.__version__, "dist": dist, "dtype": dtype,
                     "error": "not offered by CuPy's generator (no truncated normal, no bfloat16)"})
    del a
    cupy.get_default_memory_pool().free_all_blocks()
    return rows


def main():
    nbytes, out = int(sys.argv[1]), sys.argv[2]
    rows, errors = [], []
    for name, fn in (("PyTorch", torch_rows), ("CuPy", cupy_rows)):
        try:
            rows.extend(fn(nbytes))
        except Exception as e:
            errors.append(f"{name} not measured: {e!r}")
            print(f"gpu-check: {name} not measured: {e!r}", file=sys.stderr)
    with open(out, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
        for e in errors:
            f.write(json.dumps({"impl": "error", "error": e}) + "\n")


if __name__ == "__main__":
    main()
