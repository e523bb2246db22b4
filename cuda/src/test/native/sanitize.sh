#!/usr/bin/env bash
# Runs the host emulation of every kernel under ThreadSanitizer and AddressSanitizer (+UBSan).
#
# 1. Records every kernel launch of the device test table and the MLP training test, run through
#    JCuda against the stand-in driver (DISTILL4J_STANDIN_RECORD), with exact-size device buffers
#    (-Ddistill4j.cuda.exactScratch=true) so that a read past an operand leaves its allocation.
# 2. Replays the launches with emu_replay built three ways: plain (fibers), -fsanitize=thread and
#    -fsanitize=address,undefined (both with one OS thread per CUDA thread); every output byte must
#    equal the recording, and the sanitizers must report nothing.
# 3. Canaries, to show the checks can fail: the GEMM with its second __syncthreads removed must give
#    a ThreadSanitizer data race; a GEMM that loads row m of A must give an AddressSanitizer overflow.
#
# Usage (from the repository root or anywhere):  cuda/src/test/native/sanitize.sh [EVERY]
#   EVERY (default 1): replay one launch in EVERY of each kernel under the sanitizers (full runs take
#   minutes on 2 busy cores: each emulated thread is an OS thread, each barrier a futex wake-up).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(cd "$here/../../.." && pwd)"
root="$(cd "$module/.." && pwd)"
every="${1:-1}"
out="$module/target/native"
cu_dir="$module/src/main/cuda"
rec="$out/launches.rec"
flags=(-std=c++17 -g -I"$here" -include cuda_host_emulation.h)

echo "== 1. record launches (stand-in driver, exact-size buffers)"
rm -f "$rec"
(cd "$root" && DISTILL4J_STANDIN_RECORD="$rec" mvn -q -pl cuda -am test -Dtest='DeviceBackendTableTest,DeviceTrainingTest' \
   -Dsurefire.failIfNoSpecifiedTests=false -Ddistill4j.cuda.exactScratch=true)
echo "recorded $(stat -c %s "$rec") bytes"

echo "== 2. build replayers"
g++ "${flags[@]}" -O2 -I"$cu_dir" -o "$out/emu_replay" "$here/emu_replay.cpp"
g++ "${flags[@]}" -O1 -DEMU_THREADS -fsanitize=thread -I"$cu_dir" -o "$out/emu_replay_tsan" "$here/emu_replay.cpp"
g++ "${flags[@]}" -O1 -DEMU_THREADS -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    -I"$cu_dir" -o "$out/emu_replay_asan" "$here/emu_replay.cpp"

echo "== 3. replay: fibers (all launches)"
"$out/emu_replay" "$rec" | tail -1
echo "== 4. replay: ThreadSanitizer, OS threads (every $every)"
TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$out/emu_replay_tsan" --every "$every" "$rec" | tail -1
echo "== 5. replay: AddressSanitizer + UBSan, OS threads (every $every)"
ASAN_OPTIONS="detect_leaks=1 halt_on_error=1" "$out/emu_replay_asan" --every "$every" "$rec" | tail -1

echo "== 6. canaries: the sanitizers must catch a missing barrier and an out-of-bounds load"
canary="$out/canary"
rm -rf "$canary" && mkdir -p "$canary/race" "$canary/oob"
cp "$cu_dir"/*.cu "$cu_dir"/*.cuh "$canary/race/" && cp "$cu_dir"/*.cu "$cu_dir"/*.cuh "$canary/oob/"
# (a) drop the __syncthreads that protects As/Bs before the next k-slice overwrites them
grep -v 'the next slice overwrites As/Bs' "$cu_dir/gemm.cu" > "$canary/race/gemm.cu"
# (b) load A's row gi == m (one past the end of A for the last row tile)
sed 's/if (gi < m \&\& gp < k) v = LAYOUT/if (gi <= m \&\& gp < k) v = LAYOUT/' "$cu_dir/gemm.cu" > "$canary/oob/gemm.cu"
cmp -s "$cu_dir/gemm.cu" "$canary/race/gemm.cu" && { echo "race canary: mutation did not apply"; exit 1; }
cmp -s "$cu_dir/gemm.cu" "$canary/oob/gemm.cu" && { echo "oob canary: mutation did not apply"; exit 1; }
g++ "${flags[@]}" -O1 -DEMU_THREADS -fsanitize=thread -I"$canary/race" -o "$canary/replay_race" "$here/emu_replay.cpp"
g++ "${flags[@]}" -O1 -DEMU_THREADS -fsanitize=address -I"$canary/oob" -o "$canary/replay_oob" "$here/emu_replay.cpp"
if TSAN_OPTIONS="halt_on_error=1 exitcode=66" "$canary/replay_race" --only gemm_f32_nn "$rec" > "$canary/race.log" 2>&1; then
  echo "race canary: ThreadSanitizer did NOT report the missing barrier"; exit 1
fi
grep -m1 "WARNING: ThreadSanitizer: data race" "$canary/race.log"
if ASAN_OPTIONS="detect_leaks=0" "$canary/replay_oob" --only gemm_f32_nn "$rec" > "$canary/oob.log" 2>&1; then
  echo "oob canary: AddressSanitizer did NOT report the out-of-bounds load"; exit 1
fi
grep -m1 "ERROR: AddressSanitizer: heap-buffer-overflow" "$canary/oob.log"
echo "sanitize.sh: all clean, canaries caught"
