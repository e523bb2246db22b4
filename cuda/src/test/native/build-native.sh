#!/usr/bin/env bash
# Builds the test support of the cuda module into OUT (Maven: target/native), in the test phase:
#   OUT/standin/libcuda.so.1   the stand-in CUDA driver (host-emulated kernels), see standin_driver.cpp
#   OUT/emu_replay             the launch replayer (see emu_replay.cpp; sanitize.sh builds its TSan/ASan twins)
#   OUT/emu_selftest           the host emulation's own test (run by EmulationSelfTest)
# Without g++ it prints why and exits 0: the tests that need these files skip themselves.
#   usage: build-native.sh OUT
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build-native.sh OUT}"
cu_dir="$here/../../main/cuda"
mkdir -p "$out" "$out/../jcuda-tmp"   # jcuda-tmp: java.io.tmpdir of the tests (JCuda unpacks its .so there)
CXX="${CXX:-g++}"
if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "[build-native] SKIP: $CXX not found; the stand-in driver and emulation tests will be skipped"
  rm -rf "$out/standin" "$out/emu_replay" "$out/emu_selftest"
  exit 0
fi

# Rebuild only when a source changed (the digest of every input is kept next to the outputs).
digest="$(cat "$here"/*.h "$here"/*.cpp "$here"/*.txt "$here/build-native.sh" "$cu_dir"/*.cu "$cu_dir"/*.cuh | sha256sum | cut -d' ' -f1)"
if [[ -f "$out/standin/libcuda.so.1" && -x "$out/emu_replay" && -x "$out/emu_selftest" && "$(cat "$out/.digest" 2>/dev/null)" == "$digest" ]]; then
  echo "[build-native] up to date"
  exit 0
fi

flags=(-std=c++17 -O2 -g -Wall -Wextra -Wno-unused-parameter -fPIC -I"$here" -I"$cu_dir" -include cuda_host_emulation.h)
mkdir -p "$out/standin"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# 1. the driver calls we implement
"$CXX" "${flags[@]}" -c -o "$tmp/standin.o" "$here/standin_driver.cpp"
# 2. every other cu* symbol libJCudaDriver imports (jcuda_driver_imports.txt, from `nm -D
#    --undefined-only libJCudaDriver-12.6.0-linux-x86_64.so`) as a stub that says so and fails
nm -g --defined-only "$tmp/standin.o" | awk '$2 == "T" {print $3}' | sort -u > "$tmp/defined.txt"
sort -u "$here/jcuda_driver_imports.txt" | comm -23 - "$tmp/defined.txt" > "$tmp/missing.txt"
{
  echo '#include <stdio.h>'
  while read -r sym; do
    echo "int $sym(void) { fprintf(stderr, \"[stand-in libcuda] $sym is not implemented\\n\"); return 801; }"
  done < "$tmp/missing.txt"
} > "$tmp/stubs.c"
gcc -O1 -fPIC -c -o "$tmp/stubs.o" "$tmp/stubs.c"
"$CXX" -shared -Wl,-soname,libcuda.so.1 -o "$out/standin/libcuda.so.1" "$tmp/standin.o" "$tmp/stubs.o" -lpthread
ln -sf libcuda.so.1 "$out/standin/libcuda.so"

# 3. the replayer (fibers, no sanitizer) and the emulation's self-test (run by EmulationSelfTest)
"$CXX" "${flags[@]}" -o "$out/emu_replay" "$here/emu_replay.cpp"
"$CXX" "${flags[@]}" -o "$out/emu_selftest" "$here/emu_selftest.cpp"

echo "$digest" > "$out/.digest"
echo "[build-native] built $out/standin/libcuda.so.1 ($(grep -c "^cu" "$tmp/defined.txt") driver calls implemented, $(wc -l < "$tmp/missing.txt") stubs) and $out/emu_replay"
