// distill4j CUDA kernels, dropout family (host side: distill4j.cuda.dropout.CudaDropout). Compiled as part of
// distill4j_kernels.cu, after common.cuh.

// ============================================================================ dropout (Philox4x32-10)
// The scheme of distill4j.kernels.Philox, bit for bit: element index i (global: indexBase + local),
// block b = i >> 2, lane = i & 3, counter (lo(b), hi(b), lo(step), hi(step)), key (lo(seed), hi(seed)),
// keep = (word[lane] >> 8) · 2^-24 >= p. One thread per Philox block: its four words serve four elements.

__device__ __forceinline__ void philox4x32_10(unsigned c[4], unsigned k0, unsigned k1) {
    for (int round = 0; round < 10; round++) {
        if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
        u64 p0 = (u64)0xD2511F53u * c[0];
        u64 p1 = (u64)0xCD9E8D57u * c[2];
        unsigned n0 = (unsigned)(p1 >> 32) ^ c[1] ^ k0;
        unsigned n2 = (unsigned)(p0 >> 32) ^ c[3] ^ k1;
        c[0] = n0;
        c[1] = (unsigned)p1;
        c[2] = n2;
        c[3] = (unsigned)p0;
    }
}

// x, y (n); y may be x. scale = 1 / (1 − p), computed by the caller in float exactly as the CPU does.
// grid-stride over Philox blocks; mode 0: y = x·keep·scale; mode 1 (backward): y (+)= x·keep·scale
__device__ __forceinline__ void dropoutApply(const float* x, float* y, int n, float p, float scale, u64 seed,
                                             u64 step, u64 indexBase, int accumulate) {
    if (n <= 0) return;
    u64 first = indexBase >> 2, last = (indexBase + (u64)n - 1) >> 2;
    u64 blocks = last - first + 1;
    for (u64 t = (u64)blockIdx.x * blockDim.x + threadIdx.x; t < blocks; t += (u64)gridDim.x * blockDim.x) {
        u64 b = first + t;
        unsigned w[4] = {(unsigned)b, (unsigned)(b >> 32), (unsigned)step, (unsigned)(step >> 32)};
        philox4x32_10(w, (unsigned)seed, (unsigned)(seed >> 32));
        for (int lane = 0; lane < 4; lane++) {
            u64 g = 4 * b + lane;
            if (g < indexBase || g >= indexBase + (u64)n) continue;
            size_t i = (size_t)(g - indexBase);
            bool keep = (float)(w[lane] >> 8) * 0x1p-24f >= p;
            // explicit round-to-nearest multiply and add: nvcc may not contract them into one FMA,
            // so the outputs (not only the mask) are bit-identical to the CPU's two roundings
            float v = keep ? __fmul_rn(x[i], scale) : 0.f;
            y[i] = accumulate ? __fadd_rn(y[i], v) : v;
        }
    }
}

// x (n) -> y (n) = x · keep / (1 − p)
extern "C" __global__ void dropout_forward(const float* x, float* y, int n, float p, float scale, u64 seed,
                                           u64 step, u64 indexBase) {
    dropoutApply(x, y, n, p, scale, seed, step, indexBase, 0);
}

// dy (n) -> dx (n) (+)= dy · keep / (1 − p), the forward's mask recomputed
extern "C" __global__ void dropout_backward(const float* dy, float* dx, int n, float p, float scale, u64 seed,
                                            u64 step, u64 indexBase, int accumulate) {
    dropoutApply(dy, dx, n, p, scale, seed, step, indexBase, accumulate);
}
