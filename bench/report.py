#!/usr/bin/env python3
"""Turns JMH JSON results (-rf json) of the distill4j benchmarks into Markdown tables.

Usage: report.py [--primary NAME] result.json [more.json ...]

  GEMM          GFLOP/s = 2*M*N*K / time per call, per variant; ratios distill4j / OpenBLAS, / EJML
  softmax-CE    GB/s = compulsory bytes / time: hard 8*R*C + 4*R, soft 12*R*C (SoftmaxCrossEntropyBench.bytes)
  dropout       GB/s = 8*n / time (read n floats, write n floats)
  train step    samples/s = batch (128) / time per step
  GPU (the *OnGpuBench classes, cuda/gpu-check.sh): the same tables with distill4j's "cuda" first, the
                CPU backend beside it, and cuBLAS as the GEMM peer

The copy peer moves the same bytes (read + written) as the kernel it sits next to, so its GB/s uses the
kernel's byte count; so does the softmax's "exp pass" peer (one vector-exp pass over the logits), whose
ratio shows how far the kernel is from the exp work alone. "±" is JMH's 99.9% confidence half-width, carried over to the derived unit.
Plain Python 3 standard library only.
"""
import json
import math
import sys

PEERS = {"openblas": "OpenBLAS", "openblas-skylakex": "OpenBLAS-AVX512", "ejml": "EJML", "copy": "copy",
         "exp-pass": "exp pass", "cublas": "cuBLAS"}
# peers of the memory-bound kernels, in column order: a copy of the same bytes; one vector-exp pass
MEMORY_PEERS = ["copy", "exp-pass"]
TIME_UNITS = {"ns/op": 1e-9, "us/op": 1e-6, "ms/op": 1e-3, "s/op": 1.0}
TRAIN_BATCH = 128


def load(paths):
    rows = []
    for p in paths:
        with open(p) as f:
            text = f.read().strip()
        if text:
            rows.extend(json.loads(text))
    return rows


def seconds(r):
    m = r["primaryMetric"]
    unit = m["scoreUnit"]
    if unit not in TIME_UNITS:
        raise SystemExit("report.py: expected an average-time result, got unit %r in %s" % (unit, r["benchmark"]))
    s = TIME_UNITS[unit]
    err = m.get("scoreError")
    if err is None or (isinstance(err, float) and math.isnan(err)) or err == "NaN":
        err = float("nan")
    return m["score"] * s, float(err) * s


def rate(work, r):
    """work / time with the half-width of the CI mapped through work/t (first order)."""
    t, e = seconds(r)
    v = work / t
    return v, (v * e / t if not math.isnan(e) else float("nan"))


def fmt(v, e=None, digits=1):
    if v is None:
        return "n/a"
    s = ("%." + str(digits) + "f") % v
    if e is not None and not math.isnan(e):
        s += (" ± %." + str(digits) + "f") % e
    return s


def ratio(a, b):
    return "n/a" if a is None or b is None or b == 0 else "%.2f" % (a / b)


def short(bench):
    return bench.rsplit(".", 2)[-2]


def shape_text(shape):
    layout, dims = shape.split("-", 1)
    m, n, k = dims.split("x")
    if layout == "NN":
        ops = "(%s×%s)·(%s×%s)" % (m, k, k, n)
    elif layout == "NT":
        ops = "(%s×%s)·(%s×%s)ᵀ" % (m, k, n, k)
    else:
        ops = "(%s×%s)ᵀ·(%s×%s)" % (k, m, k, n)
    return layout, int(m), int(n), int(k), ops


def order_backends(names, primary):
    names = sorted(set(names))
    if primary in names:
        names.remove(primary)
        names.insert(0, primary)
    return names


def environment(rows):
    seen = []
    for r in rows:
        key = "JDK %s (%s %s), JMH %s" % (r.get("jdkVersion"), r.get("vmName"), r.get("vmVersion"), r.get("jmhVersion"))
        if key not in seen:
            seen.append(key)
    fork = rows[0]
    return ("%s; %d fork(s) × %d warm-up × %s, %d measurement × %s per result"
            % ("; ".join(seen), fork["forks"], fork["warmupIterations"], fork["warmupTime"],
               fork["measurementIterations"], fork["measurementTime"]))


def gemm_table(rows, primary, out):
    data = {}  # (shape, threads) -> variant -> (gflops, err)
    variants = set()
    for r in rows:
        p = r["params"]
        _, m, n, k, _ = shape_text(p["shape"])
        data.setdefault((p["shape"], int(p["threads"])), {})[p["variant"]] = rate(2.0 * m * n * k / 1e9, r)
        variants.add(p["variant"])
    ours = order_backends([v for v in variants if v not in PEERS], primary)
    peers = [v for v in ("openblas", "openblas-skylakex", "ejml", "cublas") if v in variants]
    main = ours[0] if ours else None
    head = ["layout", "C = op(A)·op(B), A and B as stored", "M×N×K", "threads"]
    head += ["%s GFLOP/s" % v for v in ours] + ["%s GFLOP/s" % PEERS[v] for v in peers]
    head += ["%s / %s" % (main, PEERS[v]) for v in peers if main]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))

    training = ["NN-128x1200x784", "NN-128x1200x1200", "NT-128x1200x1200", "TN-1200x1200x128", "TN-784x1200x128"]

    def order(item):
        # squares by size, then the MLP training shapes in the order, then anything else
        shape, threads = item[0]
        layout, m, n, k, _ = shape_text(shape)
        if layout == "NN" and m == n == k:
            return (0, m, "", threads)
        if shape in training:
            return (1, training.index(shape), "", threads)
        return (2, 0, shape, threads)

    for (shape, threads), vals in sorted(data.items(), key=order):
        layout, m, n, k, ops = shape_text(shape)
        cells = [layout, ops, "%d×%d×%d" % (m, n, k), str(threads)]
        for v in ours + peers:
            cells.append(fmt(*vals[v]) if v in vals else "n/a")
        for v in (peers if main else []):
            cells.append(ratio(vals.get(main, (None,))[0], vals.get(v, (None,))[0]))
        out.append("| " + " | ".join(cells) + " |")


def memory_table(rows, kind, primary, out):
    data = {}
    variants = set()
    for r in rows:
        p = r["params"]
        if kind == "softmax":
            rr, cc = (int(x) for x in p["shape"].split("x"))
            nbytes = 8 * rr * cc + 4 * rr if p["target"] == "hard" else 12 * rr * cc
            key = (rr * cc, p["shape"], p["target"], int(p["threads"]))
        else:
            n = int(p["n"])
            nbytes = 8 * n
            key = (n, p["n"], p["pass"], int(p["threads"]))
        data.setdefault(key, {})[p["variant"]] = rate(nbytes / 1e9, r)
        variants.add(p["variant"])
    ours = order_backends([v for v in variants if v not in PEERS], primary)
    main = ours[0] if ours else None
    first = ["logits R×C", "target"] if kind == "softmax" else ["n floats", "pass"]
    head = first + ["threads"] + ["%s GB/s" % v for v in ours]
    peers = [v for v in MEMORY_PEERS if v in variants]
    for v in peers:
        head += ["%s GB/s (same bytes)" % PEERS[v], "%s / %s" % (main, PEERS[v])]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for key in sorted(data):
        vals = data[key]
        cells = [key[1].replace("x", "×"), key[2], str(key[3])]
        for v in ours:
            cells.append(fmt(*vals[v], digits=2) if v in vals else "n/a")
        for v in peers:
            cells.append(fmt(*vals[v], digits=2) if v in vals else "n/a")
            cells.append(ratio(vals.get(main, (None,))[0], vals.get(v, (None,))[0]))
        out.append("| " + " | ".join(cells) + " |")


def train_table(rows, out):
    out.append("| backend | step written as | threads | ms / step | samples/s |")
    out.append("|---|---|---|---|---|")
    for r in sorted(rows, key=lambda r: (r["params"]["variant"], r["params"]["api"], int(r["params"]["threads"]))):
        p = r["params"]
        t, e = seconds(r)
        sps, sps_e = rate(TRAIN_BATCH, r)
        out.append("| %s | %s | %s | %s | %s |" % (p["variant"], p["api"], p["threads"],
                                                 fmt(t * 1e3, e * 1e3, digits=2), fmt(sps, sps_e, digits=0)))


def main(argv):
    primary = "simd"
    paths = []
    i = 0
    while i < len(argv):
        if argv[i] == "--primary":
            primary = argv[i + 1]
            i += 2
        else:
            paths.append(argv[i])
            i += 1
    if not paths:
        raise SystemExit(__doc__)
    rows = load(paths)
    if not rows:
        raise SystemExit("report.py: no results in " + " ".join(paths))
    groups = {}
    for r in rows:
        groups.setdefault(short(r["benchmark"]), []).append(r)
    out = ["Environment: " + environment(rows), ""]
    if "GemmBench" in groups:
        out += ["### SGEMM (GFLOP/s = 2·M·N·K / time; higher is better)", ""]
        gemm_table(groups["GemmBench"], primary, out)
        out.append("")
    if "SoftmaxCrossEntropyBench" in groups:
        out += ["### Fused softmax-CE forward + gradient (GB/s of compulsory traffic: hard 8·R·C + 4·R bytes, "
                "soft 12·R·C)", ""]
        memory_table(groups["SoftmaxCrossEntropyBench"], "softmax", primary, out)
        out.append("")
    if "DropoutBench" in groups:
        out += ["### Philox dropout, p = 0.5 (GB/s = 8·n / time)", ""]
        memory_table(groups["DropoutBench"], "dropout", primary, out)
        out.append("")
    # the numbered kernel versions (bench/.../variants): one column per version, "v1", "v2", ...
    for name in ("GemmMicroKernelBench", "DropoutVariantBench", "SoftmaxTailBench"):
        for r in groups.get(name, []):
            p = r["params"]
            p["variant"] = p["tails"] + " tails" if "tails" in p else "v" + p["version"] + p.get("kcSlices", "").replace("balanced", "").replace("plain", " plain KC")
            p.setdefault("threads", "1")
            p.setdefault("pass", "forward")
    if "GemmMicroKernelBench" in groups:
        out += ["### SGEMM micro-kernel versions, 1 thread (GFLOP/s = 2·M·N·K / time)", ""]
        gemm_table(groups["GemmMicroKernelBench"], primary, out)
        out.append("")
    if "SoftmaxTailBench" in groups:
        out += ["### Fused softmax-CE row-tail versions, 1 thread (GB/s: hard 8·R·C + 4·R bytes, soft 12·R·C)", ""]
        memory_table(groups["SoftmaxTailBench"], "softmax", primary, out)
        out.append("")
    if "DropoutVariantBench" in groups:
        out += ["### Philox dropout kernel versions, p = 0.5, forward, 1 thread (GB/s = 8·n / time)", ""]
        memory_table(groups["DropoutVariantBench"], "dropout", primary, out)
        out.append("")
    if "TrainStepBench" in groups:
        out += ["### Training step, 784-1200-1200-10 student, batch %d (dropout, distillation loss, backward, "
                "SGD momentum)" % TRAIN_BATCH, ""]
        train_table(groups["TrainStepBench"], out)
        out.append("")
    # the GPU benchmarks (bench/.../gpu, run by cuda/gpu-check.sh): distill4j's CUDA kernels first
    if "SgemmOnGpuBench" in groups:
        out += ["### GPU SGEMM, device-resident (GFLOP/s = 2·M·N·K / time; the CPU backend on host arrays beside it)", ""]
        gemm_table(groups["SgemmOnGpuBench"], "cuda", out)
        out.append("")
    if "SoftmaxCeOnGpuBench" in groups:
        out += ["### GPU fused softmax-CE forward + gradient, device-resident (GB/s of compulsory traffic: hard "
                "8·R·C + 4·R bytes, soft 12·R·C)", ""]
        memory_table(groups["SoftmaxCeOnGpuBench"], "softmax", "cuda", out)
        out.append("")
    if "DropoutOnGpuBench" in groups:
        out += ["### GPU Philox dropout, p = 0.5, device-resident (GB/s = 8·n / time)", ""]
        memory_table(groups["DropoutOnGpuBench"], "dropout", "cuda", out)
        out.append("")
    if "TrainStepOnGpuBench" in groups:
        out += ["### GPU training step, 784-1200-1200-10 student, batch %d, the engine's step with the model on "
                "the device" % TRAIN_BATCH, ""]
        train_table(groups["TrainStepOnGpuBench"], out)
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
