#!/usr/bin/env bash
# Builds bench/target/benchmarks.jar with the JDK in JAVA_HOME (default: the java on PATH), runs the
# distill4j JMH suite with short settings and prints Markdown tables (also saved as report.md next to
# the JMH JSON files under bench/results/, which git ignores).
#
#   bench/run.sh                                    # JDK on PATH
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run.sh
#
# Knobs (environment): FORKS (1) WI (3) I (5) W (300ms) R (300ms) — JMH -f -wi -i -w -r; WI_STEP (10) W_STEP (1s):
#   the warm-up of the train and infer suites;
#   BACKENDS  distill4j backends to measure, space-separated (default: the best one that can run here;
#             "simd scalar" adds the scalar reference — slow: seconds per call at 2048³);
#   GEMM_SHAPES, THREADS  comma-separated overrides of the @Param lists (default GEMM shapes: the eight
#             GEMMs of the training step, which the Targets table needs; GEMM_SQUARES=1 adds the squares
#             256-2048);
#   SUITES    any of "gemm softmax dropout train infer torch" (default: all; "infer" (InferenceBench) and
#             "torch" (the PyTorch peer of the train step and of inference, bench/peers/pytorch_step.py)
#             only where python3 can import torch, else left out saying why);
#   SKIP_BUILD=1  reuse the jar.
# The report starts with the Targets table of issue #18 (bench/report.py): every ratio from this one run.
# OpenBLAS is a peer only when the jar is built and run on JDK 22+ and libopenblas is installed
# (Debian: apt-get install libopenblas0-pthread); otherwise it is skipped with the reason printed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java)"; fi
[ -x "$JAVA" ] || { echo "run.sh: no java at $JAVA (set JAVA_HOME)" >&2; exit 1; }
FORKS=${FORKS:-1}; WI=${WI:-3}; I=${I:-5}; W=${W:-300ms}; R=${R:-300ms}
if [ -z "${SUITES:-}" ]; then
  SUITES="gemm softmax dropout train"
  # pytorch_step.py re-runs itself under /usr/bin/python3 (Debian's python3-torch) when python3 has no torch
  if python3 -c 'import torch' >/dev/null 2>&1 || /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then
    SUITES="$SUITES infer torch"
  else
    echo "== suites infer and torch left out: neither python3 nor /usr/bin/python3 can import torch (Debian: apt-get install python3-torch libopenblas0-pthread)" >&2
  fi
fi
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
JAR=bench/target/benchmarks.jar

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "== building $JAR with $("$JAVA" -version 2>&1 | head -1)" >&2
  mvn -q -B -pl bench -am clean package -DskipTests >&2
fi

jdk=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
# outside target/: the next build runs mvn clean
out="bench/results/jdk${jdk}-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

probe=$("$JAVA" "${FLAGS[@]}" -cp "$JAR" distill4j.bench.Probe 2>/dev/null)
read -r -a available <<<"$(sed -n 's/^backends //p' <<<"$probe")"
openblas_line=$(sed -n 's/^openblas //p' <<<"$probe")
avx512_line=$(sed -n 's/^openblas-skylakex //p' <<<"$probe")
[ ${#available[@]} -gt 0 ] || { echo "run.sh: no distill4j backend can run: $probe" >&2; exit 1; }
BACKENDS=${BACKENDS:-${available[0]}}
primary=${BACKENDS%% *}
echo "== distill4j backends available: ${available[*]}; measuring: $BACKENDS" >&2
gemm_peers="ejml"
case "$openblas_line" in
  yes*) gemm_peers="openblas,$gemm_peers"; echo "== OpenBLAS peer: ${openblas_line#yes }" >&2 ;;
  *)    echo "== OpenBLAS peer skipped: ${openblas_line#no }" >&2 ;;
esac
# OpenBLAS's own detection may pick older kernels than the CPU runs (0.3.21 picks its AVX2 "Haswell"
# kernels on a Zen 5): measure its AVX-512 kernels too where the CPU has them
case "$avx512_line" in
  yes*) gemm_peers="${gemm_peers/openblas,/openblas,openblas-skylakex,}"; echo "== also OpenBLAS with ${avx512_line#yes }" >&2 ;;
  *)    echo "== OpenBLAS AVX-512 kernels not measured: ${avx512_line#no }" >&2 ;;
esac
ours=$(tr ' ' ',' <<<"$BACKENDS")

# the GEMMs of the 784-1200-1200-10 step at batch 128 (MlpStep): forward, weight gradients, input gradients
STEP_GEMMS="NT-128x1200x784,NT-128x1200x1200,NT-128x10x1200,TN-1200x784x128,TN-1200x1200x128,TN-10x1200x128,NN-128x1200x1200,NN-128x1200x10"
if [ -z "${GEMM_SHAPES:-}" ]; then
  GEMM_SHAPES=$STEP_GEMMS
  if [ "${GEMM_SQUARES:-0}" = 1 ]; then
    if [ "$primary" = scalar ]; then
      # the scalar reference needs seconds per call at 1024³ and more: keep the run short
      GEMM_SHAPES="NN-256x256x256,NN-512x512x512,$GEMM_SHAPES"
      echo "== primary backend is scalar: GEMM squares 1024 and 2048 left out (set GEMM_SHAPES to force)" >&2
    else
      GEMM_SHAPES="NN-256x256x256,NN-512x512x512,NN-1024x1024x1024,NN-2048x2048x2048,$GEMM_SHAPES"
    fi
  fi
fi
# dropout's Philox-only peer is the SIMD kernel's own mask pass (SimdDropout.keepCount)
dropout_peers="copy"
if [[ " ${available[*]} " == *" simd "* ]]; then dropout_peers="copy,philox"
else echo "== dropout peer philox skipped: the simd backend cannot run here" >&2; fi

load() { echo "$(date -u +%H:%M:%SZ) $(uptime | sed 's/.*load average/load average/')"; }
echo "start: $(load)" >"$out/load.txt"
# -to: a hung fork (e.g. a deadlocked thread pool) costs 3 minutes, not the default 10 per iteration
common=(-f "$FORKS" -wi "$WI" -i "$I" -w "$W" -r "$R" -to 3min -rf json)
# A whole training step or inference batch takes 8–40 ms: the short warm-up leaves some of its vector code to the
# interpreter and C1 (which box vectors: tens of KB a step in -prof gc), so these two suites warm up for longer
# (StepAllocation reaches the steady state after about 500 steps)
WI_STEP=${WI_STEP:-10}; W_STEP=${W_STEP:-1s}
step_common=(-f "$FORKS" -wi "$WI_STEP" -i "$I" -w "$W_STEP" -r "$R" -to 3min -rf json)
jmh() { # name, benchmark regex, extra args...
  local name=$1 regex=$2; shift 2
  local settings=("${common[@]}")
  case $name in train|infer) settings=("${step_common[@]}") ;; esac
  echo "== $(date -u +%H:%M:%S) JMH $name" >&2
  "$JAVA" -jar "$JAR" "$regex" "${settings[@]}" -rff "$out/$name.json" "$@" >"$out/$name.log" 2>&1 \
    || echo "run.sh: JMH $name exited with $? (see $out/$name.log)" >&2
  # what each fork ran (the setup lines) and any failure, once each
  grep -oE "# (gemm|softmax-CE|dropout|train step|inference) .*|[A-Za-z.]+(Exception|Error): .*" "$out/$name.log" \
    | sed -E 's/^# (gemm|softmax-CE|dropout|train step) [^:]*: /#   /' | sort -u | head -20 >&2 || true
  echo "after $name: $(load)" >>"$out/load.txt"
}

for s in $SUITES; do
  case $s in
    gemm)    jmh gemm 'distill4j.bench.GemmBench' -p variant="$ours,$gemm_peers" -p threads="${THREADS:-1,2}" \
               -p shape="$GEMM_SHAPES" ;;
    softmax) jmh softmax 'distill4j.bench.SoftmaxCrossEntropyBench' -p variant="$ours,copy,exp-pass" -p threads="${THREADS:-1,2}" ;;
    dropout) jmh dropout 'distill4j.bench.DropoutBench' -p variant="$ours,$dropout_peers" -p threads="${THREADS:-1,2}" ;;
    # -prof gc: gc.alloc.rate.norm (B/op) of the same forks, for the Targets table's allocation row
    train)   jmh train 'distill4j.bench.TrainStepBench' -p variant="$ours" -p api=engine,kernels -p threads="${THREADS:-1,2}" -prof gc ;;
    infer)   jmh infer 'distill4j.bench.InferenceBench' -p variant="$ours" -p api=engine -p threads="${THREADS:-1,2}" ;;
    torch)   echo "== $(date -u +%H:%M:%S) PyTorch peer (bench/peers/pytorch_step.py)" >&2
             python3 bench/peers/pytorch_step.py --threads "${THREADS:-1,2}" --json "$out/pytorch-times.txt" \
               >"$out/pytorch.md" 2>"$out/pytorch.log" || echo "run.sh: PyTorch peer exited with $? (see $out/pytorch.log)" >&2
             echo "after torch: $(load)" >>"$out/load.txt" ;;
    *) echo "run.sh: unknown suite $s (gemm softmax dropout train infer torch)" >&2; exit 2 ;;
  esac
done

{
  cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' '))"
  echo "Machine: $(nproc) cores, $cpu; load average (1, 5, 15 min) during the run (the Targets need an idle machine):"
  sed 's/^/    /' "$out/load.txt"
  echo
  torch_json=(); [ -s "$out/pytorch-times.txt" ] && torch_json=(--pytorch "$out/pytorch-times.txt")
  ls "$out"/*.json >/dev/null 2>&1 && python3 bench/report.py --primary "$primary" "${torch_json[@]}" "$out"/*.json
  if [ -s "$out/pytorch.md" ]; then echo; echo "PyTorch peer (bench/peers/pytorch_step.py):"; echo; cat "$out/pytorch.md"; fi
} | tee "$out/report.md"
echo "== results: $out" >&2
