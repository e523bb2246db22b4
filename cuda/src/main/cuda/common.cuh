// distill4j CUDA kernels: what the families share (warp/block reductions, the grid-stride loop).
// Included first by distill4j_kernels.cu.

#pragma once

#define WARP_SIZE 32
#define FULL_MASK 0xffffffffu

typedef unsigned long long u64;

// ============================================================================ reductions
// Every thread of the block must call these (they contain __syncthreads); every thread gets the result.

template <typename T>
__device__ __forceinline__ T warpSum(T v) {
    for (int o = WARP_SIZE / 2; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
    return v;
}

__device__ __forceinline__ float warpMax(float v) {
    for (int o = WARP_SIZE / 2; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, o));
    return v;
}

// v: one value per thread -> Σ over the block (blockDim.x a multiple of 32, at most 1024)
template <typename T>
__device__ __forceinline__ T blockSum(T v) {
    __shared__ T partial[WARP_SIZE];
    int lane = threadIdx.x & (WARP_SIZE - 1), warp = threadIdx.x / WARP_SIZE;
    int warps = blockDim.x / WARP_SIZE;
    v = warpSum(v);
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    // every warp reduces the per-warp partials itself: a broadcast without another barrier
    T r = lane < warps ? partial[lane] : T(0);
    r = warpSum(r);
    __syncthreads();  // partial[] may be overwritten by the next reduction only after everyone read it
    return r;
}

__device__ __forceinline__ float blockMax(float v) {
    __shared__ float partial[WARP_SIZE];
    int lane = threadIdx.x & (WARP_SIZE - 1), warp = threadIdx.x / WARP_SIZE;
    int warps = blockDim.x / WARP_SIZE;
    v = warpMax(v);
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    float r = lane < warps ? partial[lane] : -INFINITY;
    r = warpMax(r);
    __syncthreads();
    return r;
}

// Elementwise kernels: grid-stride loops, block 256, grid capped by the caller.
#define GRID_STRIDE(i, n) \
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < (size_t)(n); i += (size_t)gridDim.x * blockDim.x)
