#!/usr/bin/env bash
# Regenerates the committed fatbin from src/main/cuda/distill4j_kernels.cu (which includes the family
# files common.cuh, gemm.cu, ...) when a source changed: ONE fatbin with sm_90 and sm_80 machine code
# plus compute_75 PTX (JIT-compiled by the driver on anything else from Turing up). The SHA-256 of the
# sources (every *.cu and *.cuh of src/main/cuda, concatenated in file-name order) is recorded next to
# it; CudaFatbinTest fails when the two disagree, i.e. when someone edited the kernels and did not run
# this (or build with nvcc).
#   usage: cuda/build-fatbin.sh [--force]      (run by Maven's 'nvcc' profile when nvcc is installed)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$here/src/main/cuda/distill4j_kernels.cu"
out_dir="$here/src/main/resources/distill4j/cuda"
fatbin="$out_dir/distill4j_kernels.fatbin"
sha_file="$out_dir/distill4j_kernels.cu.sha256"
NVCC="${NVCC:-nvcc}"

src_dir="$(dirname "$src")"
want="$(cd "$src_dir" && ls *.cu *.cuh | LC_ALL=C sort | xargs cat | sha256sum | cut -d' ' -f1)"
have="$(cat "$sha_file" 2>/dev/null || true)"
if [[ "${1:-}" != "--force" && "$want" == "$have" && -s "$fatbin" ]]; then
  echo "[build-fatbin] up to date (sha256 $want)"
  exit 0
fi
if ! command -v "$NVCC" >/dev/null 2>&1; then
  echo "[build-fatbin] ERROR: kernel source changed but $NVCC is not installed" >&2
  exit 1
fi
mkdir -p "$out_dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# -lineinfo: profilers can map SASS to source lines; no -use_fast_math: expf/logf keep full accuracy
"$NVCC" -fatbin -O3 -lineinfo -std=c++17 \
  -gencode arch=compute_90,code=sm_90 \
  -gencode arch=compute_80,code=sm_80 \
  -gencode arch=compute_75,code=compute_75 \
  -o "$tmp/k.fatbin" "$src"
mv "$tmp/k.fatbin" "$fatbin"
echo "$want" > "$sha_file"
echo "[build-fatbin] wrote $fatbin ($(stat -c %s "$fatbin") bytes) for sha256 $want"
