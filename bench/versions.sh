#!/usr/bin/env bash
# Measures the SIMD kernels' selectable versions side by side on the jar that bench/run.sh built
# (bench/target/benchmarks.jar), on JDK 25 and on the JDK on PATH, and prints one table per setting:
#   softmax-CE: row tails as one overlapping whole vector (distill4j.softmax.overlapTails=true, v4) or
#               as before (false: masked on JDK 18+, scalar on 17), at 128×1000 and 4096×120;
#   dropout:    the gather kernel (v1) or the permute kernel (v2), on 1 and 2 threads.
#
#   bench/run.sh && bench/versions.sh
#
# Knobs: JDK25 (path of its java), SKIP_25=1, SKIP_PATH=1.
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
  for ov in true false; do
    f="$out/softmax-jdk$jdk-overlapTails-$ov"
    "$J" -jar "$JAR" SoftmaxCrossEntropyBench -p variant=simd -p shape=128x1000,4096x120 "${common[@]}" -rff "$f.json" \
      -jvmArgsAppend "--add-modules jdk.incubator.vector -Xms1g -Xmx1g -Ddistill4j.softmax.overlapTails=$ov" >"$f.log" 2>&1
    echo "#### softmax-CE, JDK $jdk, distill4j.softmax.overlapTails=$ov"; echo
    python3 bench/report.py "$f.json" | grep '^|'; echo
  done
  for k in gather permute; do
    f="$out/dropout-jdk$jdk-$k"
    "$J" -jar "$JAR" DropoutBench -p variant=simd -p threads=1,2 "${common[@]}" -rff "$f.json" \
      -jvmArgsAppend "--add-modules jdk.incubator.vector -Xms1g -Xmx1g -Ddistill4j.dropout.kernel=$k" >"$f.log" 2>&1
    echo "#### dropout, JDK $jdk, distill4j.dropout.kernel=$k"; echo
    python3 bench/report.py "$f.json" | grep '^|'; echo
  done
done | tee "$out/report.md"
echo "== results: $out" >&2
