#!/usr/bin/env bash
# Measures the SIMD kernels' selectable versions side by side on the jar that bench/run.sh built
# (bench/target/benchmarks.jar), on JDK 25 and on the JDK on PATH, and prints one table per setting:
#   softmax-CE: row tails as one overlapping whole vector (shipped) or a scalar loop (SoftmaxTailBench,
#               bench/.../variants/SoftmaxTailVariants; -p tails=masked for masked tails), at 128×1000
#               and 4096×120;
#   dropout:    the numbered kernels (DropoutVariantBench, bench/.../variants/DropoutVariants): v1 gather,
#               v2 permute, v3 permute in pairs (shipped), forward on 1 thread;
#   gemm:       the numbered micro-kernels (GemmMicroKernelBench, variants/GemmMicroKernels) inside the
#               library's packing, at the MLP's five shapes on 1 thread (GEMM_VERSIONS, default "1,6":
#               the two shipped ones), then the shipped GEMM with OpenBLAS in the same JMH run (JDK 22+).
#
#   bench/run.sh && bench/versions.sh
#
# Knobs: JDK25 (path of its java), SKIP_25=1, SKIP_PATH=1, SECTIONS (default "softmax dropout gemm"),
#        GEMM_VERSIONS (default "1,6"; "1,2,3,4,5,6,7,8,9" for all).
set -uo pipefail
cd "$(dirname "$0")/.."
JAR=bench/target/benchmarks.jar
[ -f "$JAR" ] || { echo "versions.sh: no $JAR; run bench/run.sh (or mvn -pl bench -am package -DskipTests) first" >&2; exit 1; }
out="bench/results/versions-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
common=(-f 1 -wi 3 -i 5 -w 300ms -r 300ms -rf json)
javas=()
[ "${SKIP_25:-0}" = 1 ] || javas+=("${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}")
[ "${SKIP_PATH:-0}" = 1 ] || javas+=("$(command -v java)")
for J in "${javas[@]}"; do
  [ -x "$J" ] || { echo "versions.sh: no java at $J, skipped" >&2; continue; }
  jdk=$("$J" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
  sections=" ${SECTIONS:-softmax dropout gemm} "
  [[ $sections == *" softmax "* ]] && {
    f="$out/softmax-jdk$jdk-tails"
    "$J" -jar "$JAR" SoftmaxTailBench -p tails=overlap,scalar -p shape=128x1000,4096x120 "${common[@]}" -rff "$f.json" >"$f.log" 2>&1
    echo "#### softmax-CE row tails, JDK $jdk"; echo
    python3 bench/report.py "$f.json" | grep '^|'; echo
  }
  [[ $sections == *" dropout "* ]] && {
    f="$out/dropout-jdk$jdk-versions"
    "$J" -jar "$JAR" DropoutVariantBench -p version=1,2,3 "${common[@]}" -rff "$f.json" >"$f.log" 2>&1
    echo "#### dropout kernel versions, JDK $jdk"; echo
    python3 bench/report.py "$f.json" | grep '^|'; echo
  }
  # OpenBLAS through java.lang.foreign: only in a jar built on JDK 22+ and run on one
  peers=simd; [ "$jdk" -ge 22 ] && "$J" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$JAR" distill4j.bench.Probe 2>/dev/null | grep -q '^openblas yes' && peers=simd,openblas
  [[ $sections == *" gemm "* ]] && {
    f="$out/gemm-jdk$jdk-versions"
    "$J" -jar "$JAR" GemmMicroKernelBench -p version="${GEMM_VERSIONS:-1,6}" \
      -p shape=NN-128x1200x784,NN-128x1200x1200,NT-128x1200x1200,TN-1200x1200x128,TN-784x1200x128 "${common[@]}" -rff "$f.json" >"$f.log" 2>&1
    echo "#### gemm micro-kernel versions, JDK $jdk"; echo
    python3 bench/report.py "$f.json" | grep '^|'; echo
    f="$out/gemm-jdk$jdk-shipped"
    "$J" -jar "$JAR" GemmBench -p variant=$peers -p threads=1 \
      -p shape=NN-128x1200x784,NN-128x1200x1200,NT-128x1200x1200,TN-1200x1200x128,TN-784x1200x128 "${common[@]}" -rff "$f.json" \
      -jvmArgsAppend "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xms2g -Xmx2g" >"$f.log" 2>&1
    echo "#### gemm, shipped kernel, JDK $jdk"; echo
    python3 bench/report.py "$f.json" | grep '^|'; echo
  }
done | tee "$out/report.md"
echo "== results: $out" >&2
