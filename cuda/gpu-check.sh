#!/usr/bin/env bash
# On a real NVIDIA machine: runs the device tests on the GPU (Device*ContractTest: the kernels'
# family contract tables (GemmContract, ...); DeviceBackendTableTest; DeviceTrainingTest: MLP steps; DeviceBufferTest
# — CudaBackend against ScalarBackend; DeviceResidentStepTest: the engine's distillation step with the model on
# the device, its host↔device copies per step, against SIMD; DeviceBackendChoiceTest), then a plain
# benchmark (bench/.../harness/CudaBench): GEMM GFLOP/s at the MLP shapes and 4096³, fused loss and dropout GB/s.
#
# NOT YET RUN ON A GPU: it was written, and its offline mode dry-run against the stand-in driver,
# on a machine without one. Expect to fix small things on first contact.
#
#   cuda/gpu-check.sh              with Maven (a machine with network access to Maven Central)
#   cuda/gpu-check.sh --prepare    on a networked machine: compile, and gather every jar the check
#                                  needs into cuda/target/gpu-check/ (a few MiB, carry it along)
#   cuda/gpu-check.sh --offline    on the GPU machine without network, after --prepare
#   add --quick to --offline for tiny benchmark sizes (plumbing check only)
# Needs a JDK 17+ on PATH and the NVIDIA driver (libcuda.so.1); no CUDA toolkit. Without a driver, or
# when nvidia-smi lists no GPU, it says so and exits 0 (--prepare needs neither).
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
    # (the cuda module comes last in the reactor: its classpath is the one left in the file)
    mvn -q -pl cuda -am test-compile dependency:build-classpath -DskipTests -Dmdep.includeScope=test \
        -Dmdep.outputFile="$module/target/classpath.txt"
    mvn -q -pl bench -am test-compile -DskipTests   # CudaBench lives in bench/ (harness)
    java -cp "$root/bench/target/classes:$module/target/classes:$root/kernels/target/classes:$(cat "$module/target/classpath.txt")" \
        distill4j.bench.harness.CudaBench ${quick}
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
    mvn -q -pl bench -am test-compile -DskipTests && cp -r "$root/bench/target/classes" "$kit/bench-classes"   # CudaBench
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
    java "${args[@]}" -cp "$kit/bench-classes:$cp_" distill4j.bench.harness.CudaBench ${quick}
    ;;
  *)
    echo "usage: cuda/gpu-check.sh [--prepare | --offline [--quick]]"; exit 2 ;;
esac
