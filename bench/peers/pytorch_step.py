#!/usr/bin/env python3
"""PyTorch peer for distill4j's TrainStepBench and for soft-target inference: the same workloads on
the same machine, printed as one Markdown table. PyTorch is a measurement peer only: nothing in
distill4j imports or needs it.

    python3 bench/peers/pytorch_step.py                # 1 and 2 threads, OpenBLAS's own kernel choice
    python3 bench/peers/pytorch_step.py --threads 2 --steps 200 --coretypes default,SkylakeX

Needs PyTorch for the interpreter that runs it (Debian: `apt-get install python3-torch`, PyTorch 1.13
on OpenBLAS, for /usr/bin/python3); otherwise stdlib only.

Workloads (float32, the shapes and hyper-parameters of bench/src/main/java/distill4j/bench/TrainStepBench):
  train  one distillation training step of the 784-1200-1200-10 ReLU student at batch 128: inverted
         dropout 0.2 on the inputs and 0.5 on both hidden layers (after the ReLU), logits z,
         L = a*T^2*CE(p, softmax(z/T)) + (1-a)*CE(y, softmax(z)), a = 0.9, T = 4, batch mean, with the
         teacher's soft targets p given as a tensor (no teacher forward), backward, SGD lr 0.01
         momentum 0.9 (no weight decay, dampening, Nesterov or max-norm: the Java step has none), and
         loss.item(); samples/s = 128 / median step time.
  infer  soft targets of a 784-1200-1200-10 teacher (same architecture, eval mode, torch.no_grad) at
         T = 4 for one batch of 1000 rows of a transfer set: softmax(teacher(x) / T); samples/s =
         1000 / median batch time (what distill4j's SoftTargets.compute does per batch of 1000).

Each thread count runs in its own child process with OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
MKL_NUM_THREADS set before torch is imported (Debian's torch threads with OpenMP; OpenBLAS reads its
thread count when it loads) and torch.set_num_threads(n); the child checks torch.get_num_threads()
and, through ctypes, openblas_get_num_threads() and openblas_get_corename() of the OpenBLAS that torch
loaded. Every step/batch is timed on its own after a warm-up (a loop stops after --max-seconds once
it has 10 calls); the table gives the median and the fastest call and samples/s from each (the median
one is the figure to compare; the fastest says more on a loaded machine). The load average is printed
before each thread count and at the end.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

DIMS = (784, 1200, 1200, 10)
BATCH, INFER_BATCH = 128, 1000
P_IN, P_HIDDEN, T, ALPHA, LR, MOMENTUM = 0.2, 0.5, 4.0, 0.9, 0.01, 0.9


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            info = f.read()
    except OSError:
        return platform.processor() or "?"
    field = lambda key: next((l.split(":", 1)[1].strip() for l in info.splitlines() if l.startswith(key)), "?")
    return f"{field('model name')} (family {field('cpu family')}, avx512f: {'yes' if ' avx512f' in info else 'no'})"


def sgemm_provider():
    """The file whose sgemm_ torch calls: dlsym through libtorch_cpu's handle (its dependencies in the
    loader's order), then dladdr. None when that cannot be found out."""
    import ctypes

    class DlInfo(ctypes.Structure):
        _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                    ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]
    try:
        with open("/proc/self/maps") as f:
            torch_cpu = next(l.split()[-1] for l in f if "libtorch_cpu" in l)
        addr = ctypes.cast(ctypes.CDLL(torch_cpu).sgemm_, ctypes.c_void_p).value
        info = DlInfo()
        if ctypes.CDLL(None).dladdr(ctypes.c_void_p(addr), ctypes.byref(info)) and info.dli_fname:
            return os.path.realpath(info.dli_fname.decode())
    except (OSError, AttributeError, StopIteration):
        pass
    return None


def blas_info():
    """The BLAS torch calls: {"paths": BLAS-like libraries mapped, "sgemm": the file that provides the
    sgemm_ torch calls} plus, when that file is an OpenBLAS (exports openblas_get_config), its "path",
    "config", "core" (kernels in use) and "threads"."""
    import ctypes
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({l.split()[-1] for l in f if "blas" in l.lower() and "/" in l})
    except OSError:
        paths = []
    provider = sgemm_provider()
    out = {"paths": paths, "sgemm": provider}
    if provider is None:
        return out
    try:
        lib = ctypes.CDLL(provider)
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        out.update(path=provider, config=lib.openblas_get_config().decode(),
                   core=lib.openblas_get_corename().decode(), threads=lib.openblas_get_num_threads())
    except (OSError, AttributeError):
        pass
    return out


def child(args):
    """Runs in a process whose environment already has the thread counts; prints one JSON line."""
    try:
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
    except ImportError as e:
        sys.exit(f"pytorch_step.py: PyTorch is not importable by {sys.executable} ({e}); "
                 "install it with `apt-get install python3-torch` (Debian, PyTorch 1.13 + OpenBLAS, "
                 "for /usr/bin/python3) and run the script with that python3")
    n = args.child
    torch.set_num_threads(n)
    torch.manual_seed(9)
    g = torch.Generator().manual_seed(5)

    def mlp(p_in, p_hidden):
        layers = []
        for i in range(len(DIMS) - 1):
            layers.append(nn.Dropout(p_in if i == 0 else p_hidden))
            layers.append(nn.Linear(DIMS[i], DIMS[i + 1]))
            if i < len(DIMS) - 2:
                layers.append(nn.ReLU())
        return nn.Sequential(*layers)  # Dropout, Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear

    # data as MlpStep.Batch.random: x uniform [0, 1), labels uniform, p = softmax(N(0, 4^2) / T)
    classes = DIMS[-1]
    x = torch.rand(BATCH, DIMS[0], generator=g)
    y = torch.randint(classes, (BATCH,), generator=g)
    p = torch.softmax(torch.randn(BATCH, classes, generator=g) * 4.0 / T, dim=1)

    student = mlp(P_IN, P_HIDDEN)
    student.train()
    opt = torch.optim.SGD(student.parameters(), lr=LR, momentum=MOMENTUM)

    def step():
        opt.zero_grad(set_to_none=True)
        z = student(x)
        # F.cross_entropy with class-probability targets (PyTorch >= 1.10): -sum p log_softmax(z/T), batch mean
        loss = ALPHA * T * T * F.cross_entropy(z / T, p) + (1 - ALPHA) * F.cross_entropy(z, y)
        loss.backward()
        opt.step()
        return loss.item()

    teacher = mlp(P_IN, P_HIDDEN)
    teacher.eval()
    transfer = torch.rand(INFER_BATCH, DIMS[0], generator=g)

    def infer():
        with torch.no_grad():
            return torch.softmax(teacher(transfer) / T, dim=1)

    def timed(fn, warmup, count):
        """count calls timed one by one after warmup, stopping early (after 10) past --max-seconds."""
        for _ in range(warmup):
            fn()
        times, deadline = [], time.perf_counter() + args.max_seconds
        for i in range(count):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
            if i >= 9 and t0 > deadline:
                break
        return times

    first = step()
    blas = blas_info()
    if "core" not in blas and not args.any_blas:
        sys.exit(f"pytorch_step.py: torch's sgemm_ is not OpenBLAS's (it comes from {blas['sgemm'] or '?'}; "
                 f"BLAS libraries mapped: {', '.join(blas['paths']) or 'none'}); Debian's libblas.so.3 alternative is then the slow "
                 "reference BLAS: `apt-get install libopenblas0-pthread` (the OpenBLAS that bench/run.sh's "
                 "peer loads too), or pass --any-blas to measure it anyway")
    if not (first == first and abs(first) != float("inf")):
        sys.exit(f"pytorch_step.py: non-finite first loss {first}")
    out = {"threads": n, "torch_threads": torch.get_num_threads(), "first_loss": first,
           "train": timed(step, args.warmup, args.steps),
           "infer": timed(infer, max(2, args.warmup // 4), args.batches),
           "torch": torch.__version__, "config": torch.__config__.show(),
           "blas": blas_info(), "env": {k: os.environ.get(k) for k in
                                                ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE")}}
    print("RESULT " + json.dumps(out))


def blas_line(config):
    """The BLAS lines of torch.__config__.show(), shortened."""
    keep = [l.strip().lstrip("- ") for l in config.splitlines()
            if any(k in l for k in ("BLAS_INFO", "LAPACK_INFO", "MKL", "OpenMP", "MKLDNN", "oneDNN"))]
    for l in config.splitlines():  # the BLAS_INFO=... entry inside the build settings line
        for part in l.split(","):
            if "BLAS_INFO" in part or "USE_MKLDNN" in part or "USE_OPENMP" in part:
                keep.append(part.strip())
    seen, out = set(), []
    for k in keep:
        if k not in seen and len(k) < 100:
            seen.add(k)
            out.append(k)
    return "; ".join(out) or "(not shown)"


def split(text):
    return [t.strip() for t in text.split(",") if t.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    ap.add_argument("--steps", type=int, default=100, help="timed training steps per thread count (default 100)")
    ap.add_argument("--batches", type=int, default=30, help="timed inference batches per thread count (default 30)")
    ap.add_argument("--warmup", type=int, default=10,
                    help="untimed training steps first (default 10; inference: a quarter, at least 2)")
    ap.add_argument("--max-seconds", type=float, default=10,
                    help="stop a timed loop after this many seconds, once it has 10 calls (default 10: "
                         "keeps the run short on a loaded machine)")
    ap.add_argument("--coretypes", default="default",
                    help="OpenBLAS kernels: 'default' (its own choice) and/or OPENBLAS_CORETYPE values, "
                         "comma-separated, e.g. default,SkylakeX (AVX-512 kernels on a CPU OpenBLAS does not know)")
    ap.add_argument("--blas", default="system",
                    help="which BLAS torch loads: 'system' (libblas.so.3 as installed), or comma-separated "
                         "Debian OpenBLAS variants pthread, openmp, serial (or a directory holding a "
                         "libblas.so.3), put first on LD_LIBRARY_PATH; e.g. --blas pthread,openmp")
    ap.add_argument("--any-blas", action="store_true", help="measure even when torch's BLAS is not OpenBLAS")
    ap.add_argument("--json", help="also write every per-step time here")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)

    try:  # fail fast, in the parent, with the install hint
        import importlib.util
        if importlib.util.find_spec("torch") is None:
            raise ImportError("no module named torch")
    except ImportError as e:
        # the first python3 on PATH may be a pyenv/venv one; Debian's python3-torch is for /usr/bin/python3
        system = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(system) and os.access(system, os.X_OK) and \
                subprocess.run([system, "-c", "import torch"], capture_output=True).returncode == 0:
            print(f"== {sys.executable} has no torch: running under {system}", file=sys.stderr)
            os.execv(system, [system, os.path.abspath(__file__)] + sys.argv[1:])
        sys.exit(f"pytorch_step.py: PyTorch is not importable by {sys.executable} ({e}); install it with "
                 "`apt-get install python3-torch` (Debian, PyTorch 1.13 + OpenBLAS, for /usr/bin/python3) "
                 "and run `/usr/bin/python3 bench/peers/pytorch_step.py`")

    load_before = load_average()
    started = time.time()
    results = []
    inherited = os.environ.get("OPENBLAS_CORETYPE")
    if inherited:
        print(f"== the environment sets OPENBLAS_CORETYPE={inherited}: removed for the 'default' rows "
              "(OpenBLAS's own choice); add it to --coretypes to measure it", file=sys.stderr)
    runs = [(b, c, n) for b in split(args.blas) for c in split(args.coretypes) for n in map(int, split(args.threads))]
    for blas, core, n in runs:
        env = dict(os.environ, OMP_NUM_THREADS=str(n), OPENBLAS_NUM_THREADS=str(n), MKL_NUM_THREADS=str(n))
        env.pop("OPENBLAS_CORETYPE", None)
        if core != "default":
            env["OPENBLAS_CORETYPE"] = core
        if blas != "system":
            libdir = blas if "/" in blas else f"/usr/lib/{platform.machine()}-linux-gnu/openblas-{blas}"
            if not os.path.exists(os.path.join(libdir, "libblas.so.3")):
                sys.exit(f"pytorch_step.py: --blas {blas}: no {libdir}/libblas.so.3 (Debian: "
                         f"`apt-get install libopenblas0-{blas}`)")
            env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
        cmd = [sys.executable, os.path.abspath(__file__), "--child", str(n), "--steps", str(args.steps),
               "--batches", str(args.batches), "--warmup", str(args.warmup), "--max-seconds", str(args.max_seconds)] + (["--any-blas"] if args.any_blas else [])
        load = load_average()
        print(f"== {time.strftime('%H:%M:%S', time.gmtime())}Z threads {n}, BLAS {blas}, OpenBLAS kernels {core}, "
              f"load average {load}", file=sys.stderr)
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        line = next((l for l in proc.stdout.splitlines() if l.startswith("RESULT ")), None)
        if proc.returncode != 0 or line is None:
            sys.stderr.write(proc.stdout + proc.stderr)
            sys.exit(f"pytorch_step.py: the {n}-thread run exited with {proc.returncode}")
        r = json.loads(line[len("RESULT "):])
        r["coretype"] = core
        r["blas_choice"] = blas
        r["load"] = load
        results.append(r)
    load_after = load_average()

    first = results[0]
    blas_info_field = next((part.split("BLAS_INFO=", 1)[1].strip() for part in first["config"].replace("\n", ",")
                            .split(",") if "BLAS_INFO=" in part and "LAPACK" not in part), "?")
    print(f"PyTorch {first['torch']} on {sys.executable} (Python {platform.python_version()}); "
          f"{os.cpu_count()} CPUs: {cpu_model()}")
    print(f"torch.__config__.show() BLAS: {blas_line(first['config'])}")
    for lib in dict.fromkeys(f"{r['blas']['path']} ({r['blas']['config']})" if "core" in r["blas"] else
                             f"not OpenBLAS: sgemm_ from {r['blas'].get('sgemm')}" for r in results):
        print(f"BLAS loaded by torch: {lib}")
    print(f"Load average (1, 5, 15 min): {load_before} before, {load_after} after; "
          f"{time.time() - started:.0f} s in all; {args.warmup} warm-up steps; up to {args.steps} timed steps and {args.batches} timed "
          f"inference batches per row, each loop stopped after {args.max_seconds:g} s (column calls)")
    print()
    print("| workload | threads | calls | ms/call median | ms/call min | samples/s (median) | samples/s (min) | torch | BLAS_INFO: library, kernels "
          "| load avg at start |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        b = r["blas"]
        if "core" in b:  # e.g. OpenBLAS 0.3.21 pthread, Cooperlake kernels
            variant = os.path.basename(os.path.dirname(b["path"])).replace("openblas-", "") or "?"
            lib = f"{' '.join(b['config'].split()[:2])} {variant}, {b['core']}"
        else:
            lib = f"not OpenBLAS: {b.get('sgemm')}"
        if r["coretype"] != "default":
            lib += f" (OPENBLAS_CORETYPE={r['coretype']})"
        blas_threads = r["blas"].get("threads", "?")
        th = f"{r['threads']}" + ("" if r["torch_threads"] == r["threads"] and blas_threads == r["threads"]
                                  else f" (torch {r['torch_threads']}, OpenBLAS {blas_threads})")
        for name, batch, label in (("train", BATCH, "train step, batch 128"),
                                   ("infer", INFER_BATCH, "inference (soft targets at T=4), batch 1000")):
            med, low = statistics.median(r[name]) * 1e3, min(r[name]) * 1e3
            print(f"| {label} | {th} | {len(r[name])} | {med:.2f} | {low:.2f} | {batch / med * 1e3:,.0f} "
                  f"| {batch / low * 1e3:,.0f} | {r['torch']} "
                  f"| {blas_info_field}: {lib} | {r['load']} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"load_before": load_before, "load_after": load_after, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
