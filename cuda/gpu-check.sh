#!/usr/bin/env bash
# On a real NVIDIA machine: runs the device tests on the GPU (Device*ContractTest: the kernels'
# family contract tables (GemmContract, ...); DeviceBackendTableTest; DeviceTrainingTest: MLP steps; DeviceBufferTest
# — CudaBackend against ScalarBackend; DeviceResidentStepTest: the engine's distillation step with the model on
# the device, its host↔device copies per step, against SIMD; DeviceBackendChoiceTest), then the JMH GPU
# benchmarks (bench/.../gpu: SgemmOnGpuBench — distill4j's CUDA GEMM, cuBLAS through JCublas2 and the SIMD
# backend at the MLP shapes and 4096³; SoftmaxCeOnGpuBench, DropoutOnGpuBench, TrainStepOnGpuBench — device-
# resident beside SIMD) with short settings, and writes their Markdown tables (bench/report.py) to the file
# it names at the end (bench/results/gpu-<time>/report.md). About 10 JMH minutes at most, usually less.
#
# NOT YET RUN ON A GPU: it was written, and its benchmarks dry-run against the stand-in driver, on a
# machine without one. Expect to fix small things on first contact.
#
#   cuda/gpu-check.sh              with Maven (a machine with network access to Maven Central)
#   cuda/gpu-check.sh --prepare    on a networked machine: compile, and gather every jar the check
#                                  needs into cuda/target/gpu-check/ (a few MiB, carry it along)
#   cuda/gpu-check.sh --offline    on the GPU machine without network, after --prepare
#   add --quick to --offline for one tiny shape per benchmark and one short iteration (plumbing only)
# Needs a JDK 17+ on PATH, python3 (for the tables; without it the JMH JSON is kept) and the NVIDIA driver
# (libcuda.so.1); no CUDA toolkit. The cuBLAS peer needs libcublas.so.12 (CUDA 12: a toolkit, or pip's
# nvidia-cublas-cu12); without it that peer is left out, saying so. Without a driver, or when nvidia-smi
# lists no GPU, it says so and exits 0 (--prepare needs neither).
set -euo pipefail
module="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$module/.." && pwd)"
kit="$module/target/gpu-check"
junit_console="org.junit.platform:junit-platform-console-standalone:1.10.2"
mode="${1:-maven}"
quick="${2:-}"

show_gpu() {
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || true
  else
    echo "nvidia-smi not found (JCuda needs only libcuda.so.1)"
  fi
}

# A driver: libcuda.so.1 known to the loader or on LD_LIBRARY_PATH (the stand-in of a dry run counts).
has_driver() {
  if ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; then return 0; fi
  local d
  IFS=: read -ra dirs <<< "${LD_LIBRARY_PATH:-}"
  for d in "${dirs[@]}"; do [[ -n "$d" && -e "$d/libcuda.so.1" ]] && return 0; done
  return 1
}

require_gpu_or_exit() {
  if ! has_driver; then
    echo "gpu-check: no NVIDIA driver (libcuda.so.1) on this machine: no GPU to check; nothing run."
    exit 0
  fi
  if command -v nvidia-smi >/dev/null 2>&1 && ! nvidia-smi -L 2>/dev/null | grep -q '^GPU'; then
    echo "gpu-check: the driver is installed but nvidia-smi lists no GPU: nothing run."
    exit 0
  fi
}

# libcublas.so.12 for the cuBLAS peer (JCublas2): known to the loader, in a CUDA 12 toolkit, or in pip's
# nvidia-cublas-cu12. Prints a directory to add to LD_LIBRARY_PATH (empty if the loader finds it); fails if none.
find_cublas() {
  if ldconfig -p 2>/dev/null | grep -q 'libcublas\.so\.12'; then echo ""; return 0; fi
  local d
  IFS=: read -ra dirs <<< "${LD_LIBRARY_PATH:-}"
  for d in "${dirs[@]}"; do [[ -n "$d" && -e "$d/libcublas.so.12" ]] && { echo ""; return 0; }; done
  for d in /usr/local/cuda/lib64 /usr/local/cuda-12*/lib64 /usr/local/cuda-12*/targets/x86_64-linux/lib \
           /usr/local/lib/python3*/dist-packages/nvidia/cublas/lib /usr/lib/python3/dist-packages/nvidia/cublas/lib \
           "$HOME"/.local/lib/python3*/site-packages/nvidia/cublas/lib; do
    [[ -e "$d/libcublas.so.12" ]] && { echo "$d"; return 0; }
  done
  return 1
}

# The JMH GPU benchmarks in one place; CLASSPATH_ holds benchmarks.jar, the cuda classes and the JCuda jars.
# Arguments: extra JVM options for the forks (e.g. -Djava.io.tmpdir=...).
run_benchmarks() {
  local out="$root/bench/results/gpu-$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$out"
  local threads gemm_variants="cuda,simd" note="" dir
  threads="$(nproc)"
  if dir="$(find_cublas)"; then
    gemm_variants="cuda,cublas,simd"
    [[ -n "$dir" ]] && export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  else
    note="cuBLAS peer not measured: no libcublas.so.12 (CUDA 12) for the loader, in /usr/local/cuda*/lib64 or pip's nvidia-cublas-cu12."
    echo "gpu-check: $note"
  fi
  # short but sound: one fork, 3 warm-up and 5 measured iterations of 300 ms (each GPU invocation is 8
  # calls and one synchronisation); a hung fork costs 2 minutes, not 10 per iteration
  local settings=(-f 1 -wi 3 -i 5 -w 300ms -r 300ms -to 2min) small=()
  if [[ "$quick" == --quick ]]; then
    settings=(-f 1 -wi 1 -i 1 -w 100ms -r 100ms -to 2min)
    small=(-p shape=NN-128x1200x784 -p n=1048576 -p pass=forward)
  fi
  local forks=""
  (( $# )) && forks="$*"
  bench_() { # name, regex, args...
    local name=$1 regex=$2; shift 2
    echo "== $(date -u +%H:%M:%S) JMH $name"
    java -cp "$CLASSPATH_" org.openjdk.jmh.Main "$regex" "${settings[@]}" ${forks:+-jvmArgsPrepend "$forks"} \
        -p threads="$threads" -rf json -rff "$out/$name.json" "$@" >"$out/$name.log" 2>&1 \
      || echo "gpu-check: JMH $name exited with $? (see $out/$name.log)"
    # what each fork ran (its setup line) and each failure, once
    grep -oE "# (gemm|softmax-CE|dropout|train step) .*|[A-Za-z.]+(Exception|Error): .*" "$out/$name.log" | sort -u | head -20 || true
  }
  bench_ gemm 'distill4j.bench.gpu.SgemmOnGpuBench' -p variant="$gemm_variants" "${small[@]}"
  local softmax_small=() dropout_small=()
  [[ "$quick" == --quick ]] && { softmax_small=(-p shape=128x10); dropout_small=(-p n=1048576 -p pass=forward); }
  bench_ softmax 'distill4j.bench.gpu.SoftmaxCeOnGpuBench' "${softmax_small[@]}"
  bench_ dropout 'distill4j.bench.gpu.DropoutOnGpuBench' "${dropout_small[@]}"
  bench_ train 'distill4j.bench.gpu.TrainStepOnGpuBench'
  {
    echo "# distill4j GPU benchmarks ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown))"
    echo
    echo "GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null || echo 'nvidia-smi not available')"
    echo "CPU: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); SIMD backend with $threads threads"
    [[ -n "$note" ]] && { echo; echo "$note"; }
    [[ "$quick" == --quick ]] && { echo; echo "--quick: tiny sizes, one short iteration: these numbers mean nothing."; }
    echo
    if ls "$out"/*.json >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
      python3 "$root/bench/report.py" "$out"/*.json
    else
      echo "no tables: no JMH results, or no python3 (the JMH JSON and logs are in $out)"
    fi
  } >"$out/report.md"
  echo "gpu-check: benchmark tables written to $out/report.md"
}

case "$mode" in
  maven)
    require_gpu_or_exit
    show_gpu
    cd "$root"
    # Device*Test in the default surefire execution (the real libcuda.so.1), failing if no GPU opens;
    # the stand-in execution is skipped.
    mvn -q -pl cuda -am test -Dtest='Device*Test,CudaFatbinTest' -Dsurefire.failIfNoSpecifiedTests=false \
        -Ddistill4j.cuda.deviceTests.exclude=none -Ddistill4j.cuda.requireDevice=true \
        -Ddistill4j.cuda.standin.skip=true
    echo "device tests passed"
    # benchmarks.jar, and bench's class path with its provided dependencies (the cuda module, JCuda,
    # JCublas): bench comes last in the reactor, so its class path is the one left in the file
    mvn -q -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=compile \
        -Dmdep.outputFile="$module/target/bench-classpath.txt"
    CLASSPATH_="$root/bench/target/benchmarks.jar:$(cat "$module/target/bench-classpath.txt")"
    run_benchmarks
    ;;
  --prepare)
    cd "$root"
    rm -rf "$kit" && mkdir -p "$kit/lib"
    # -am with test-compile: the reactor resolves distill4j-kernels to kernels/target/classes
    mvn -q -pl cuda -am test-compile dependency:copy-dependencies -DskipTests -Dmdep.includeScope=test \
        -DexcludeGroupIds=dev.distill4j -DoutputDirectory="$kit/lib"
    mvn -q -N dependency:copy -Dartifact="$junit_console" -DoutputDirectory="$kit"
    cp -r "$module/target/classes" "$kit/classes"
    cp -r "$module/target/test-classes" "$kit/test-classes"
    cp -r "$root/kernels/target/classes" "$kit/kernels-classes"
    cp -r "$root/kernels/target/test-classes" "$kit/kernels-test-classes"   # the families' contract tables (GemmContract, ...)
    cp -r "$root/engine/target/classes" "$kit/engine-classes"   # DeviceResidentStepTest trains an engine model
    # the JMH benchmarks, and JCublas for the cuBLAS peer (bench's provided dependencies)
    mvn -q -pl bench -am package -DskipTests && cp "$root/bench/target/benchmarks.jar" "$kit/"
    mvn -q -pl bench -am dependency:copy-dependencies -DincludeGroupIds=org.jcuda -DoutputDirectory="$kit/lib"
    cp -r "$root/bench/target/classes" "$kit/bench-classes"   # the CudaBench harness
    echo "prepared $kit ($(du -sh "$kit" | cut -f1)); on the GPU machine: cuda/gpu-check.sh --offline"
    ;;
  --offline)
    [[ -d "$kit/lib" ]] || { echo "run cuda/gpu-check.sh --prepare first (on a machine with Maven)"; exit 1; }
    require_gpu_or_exit
    show_gpu
    cp_="$kit/test-classes:$kit/classes:$kit/kernels-classes:$kit/kernels-test-classes:$kit/engine-classes:$(ls "$kit"/lib/*.jar | tr '\n' ':')"
    tmp="$module/target/jcuda-tmp" && mkdir -p "$tmp"
    args=(-Djava.io.tmpdir="$tmp" -Ddistill4j.cuda.requireDevice=true -Ddistill4j.cuda.src="$module/src/main/cuda")
    java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
    if (( java_major >= 22 )); then args+=(--enable-native-access=ALL-UNNAMED); fi
    java "${args[@]}" -jar "$kit"/junit-platform-console-standalone-*.jar execute -cp "$cp_" --disable-banner \
        --details=summary --fail-if-no-tests \
        --select-class distill4j.cuda.gemm.DeviceGemmContractTest --select-class distill4j.cuda.softmax.DeviceSoftmaxContractTest \
        --select-class distill4j.cuda.dropout.DeviceDropoutContractTest \
        --select-class distill4j.cuda.elementwise.DeviceElementwiseContractTest \
        --select-class distill4j.cuda.optim.DeviceOptimContractTest --select-class distill4j.cuda.DeviceBackendTableTest \
        --select-class distill4j.cuda.DeviceTrainingTest --select-class distill4j.cuda.DeviceBufferTest \
        --select-class distill4j.cuda.DeviceResidentStepTest --select-class distill4j.cuda.DeviceBackendChoiceTest \
        --select-class distill4j.cuda.CudaFatbinTest
    echo "device tests passed"
    CLASSPATH_="$kit/benchmarks.jar:$kit/classes:$(ls "$kit"/lib/*.jar | tr '\n' ':')"
    run_benchmarks -Djava.io.tmpdir="$tmp"
    ;;
  *)
    echo "usage: cuda/gpu-check.sh [--prepare | --offline [--quick]]"; exit 2 ;;
esac
