// distill4j CUDA kernels: everything a training step of a ReLU MLP with dropout and a distillation
// loss needs, in one file.
//
// Built twice from this same text:
//   - by nvcc into ONE fatbin (sm_90 + sm_80 SASS, compute_75 PTX) shipped as a classpath resource and
//     loaded by distill4j.cuda.CudaDevice through the JCuda driver API (see ../../../build-fatbin.sh);
//   - by g++ with src/test/native/cuda_host_emulation.h force-included (-include), which maps
//     threadIdx/blockIdx/__syncthreads/__shfl_*_sync/atomics onto host threads or fibers, so the
//     tests run every kernel on a machine without a GPU (see ../../../README.md).
// So: no dynamic shared memory, no inline PTX, no CUDA runtime API; only what both sides understand.
//
// Every kernel is extern "C" (stable names for cuModuleGetFunction). All arrays are dense row-major
// float32 unless named otherwise. Launch configurations live in distill4j.cuda.CudaLaunch (Java); the
// block sizes below must match it.

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

// ============================================================================ GEMM
// C (m, n) = op(A) · op(B)  (or += when accumulate)
//   NN: A (m, k), B (k, n)   NT: A (m, k), B (n, k)   TN: A (k, m), B (k, n)
// 64×64 output tile per block of 256 threads, k in slices of 16 staged in shared memory; each
// thread keeps a 4×4 register block of C (rows ty + 16i, cols tx + 16j, so stores are coalesced).
// Tile loads are ordered along each operand's contiguous dimension, so global reads are coalesced
// for every layout. Out-of-range rows/cols/k are loaded as zeros: any m, n, k ≥ 0 works.

#define GEMM_BM 64
#define GEMM_BN 64
#define GEMM_BK 16
#define GEMM_THREADS 256
#define GEMM_LOADS ((GEMM_BM * GEMM_BK) / GEMM_THREADS)  // 4 elements of A and 4 of B per thread

enum { LAYOUT_NN = 0, LAYOUT_NT = 1, LAYOUT_TN = 2 };

template <int LAYOUT>
__device__ __forceinline__ void gemmTiled(int m, int n, int k, const float* __restrict__ A,
                                          const float* __restrict__ B, float* __restrict__ C, int accumulate) {
    // As[p][i]: A's slice transposed so the inner loop reads along i; +1 column against bank conflicts
    __shared__ float As[GEMM_BK][GEMM_BM + 1];
    __shared__ float Bs[GEMM_BK][GEMM_BN + 1];
    const int tid = threadIdx.x;
    const int tx = tid % 16, ty = tid / 16;
    const int i0 = blockIdx.y * GEMM_BM, j0 = blockIdx.x * GEMM_BN;

    float acc[4][4];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) acc[i][j] = 0.f;

    for (int p0 = 0; p0 < k; p0 += GEMM_BK) {
        for (int l = 0; l < GEMM_LOADS; l++) {
            int e = tid + l * GEMM_THREADS;
            int ii, pp;
            if (LAYOUT == LAYOUT_TN) { ii = e % GEMM_BM; pp = e / GEMM_BM; }  // A (k, m): contiguous in i
            else                     { ii = e / GEMM_BK; pp = e % GEMM_BK; }  // A (m, k): contiguous in p
            int gi = i0 + ii, gp = p0 + pp;
            float v = 0.f;
            if (gi < m && gp < k) v = LAYOUT == LAYOUT_TN ? A[(size_t)gp * m + gi] : A[(size_t)gi * k + gp];
            As[pp][ii] = v;
        }
        for (int l = 0; l < GEMM_LOADS; l++) {
            int e = tid + l * GEMM_THREADS;
            int jj, pp;
            if (LAYOUT == LAYOUT_NT) { jj = e / GEMM_BK; pp = e % GEMM_BK; }  // B (n, k): contiguous in p
            else                     { jj = e % GEMM_BN; pp = e / GEMM_BN; }  // B (k, n): contiguous in j
            int gj = j0 + jj, gp = p0 + pp;
            float v = 0.f;
            if (gj < n && gp < k) v = LAYOUT == LAYOUT_NT ? B[(size_t)gj * k + gp] : B[(size_t)gp * n + gj];
            Bs[pp][jj] = v;
        }
        __syncthreads();
        for (int pp = 0; pp < GEMM_BK; pp++) {
            float a[4], b[4];
            for (int i = 0; i < 4; i++) a[i] = As[pp][ty + 16 * i];
            for (int j = 0; j < 4; j++) b[j] = Bs[pp][tx + 16 * j];
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) acc[i][j] += a[i] * b[j];
        }
        __syncthreads();  // the next slice overwrites As/Bs
    }

    for (int i = 0; i < 4; i++) {
        int gi = i0 + ty + 16 * i;
        if (gi >= m) continue;
        for (int j = 0; j < 4; j++) {
            int gj = j0 + tx + 16 * j;
            if (gj >= n) continue;
            size_t o = (size_t)gi * n + gj;
            C[o] = accumulate ? C[o] + acc[i][j] : acc[i][j];
        }
    }
}

// grid (ceil(n/64), ceil(m/64)), block 256
extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
gemm_f32_nn(int m, int n, int k, const float* A, const float* B, float* C, int accumulate) {
    gemmTiled<LAYOUT_NN>(m, n, k, A, B, C, accumulate);
}

extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
gemm_f32_nt(int m, int n, int k, const float* A, const float* B, float* C, int accumulate) {
    gemmTiled<LAYOUT_NT>(m, n, k, A, B, C, accumulate);
}

extern "C" __global__ void __launch_bounds__(GEMM_THREADS)
gemm_f32_tn(int m, int n, int k, const float* A, const float* B, float* C, int accumulate) {
    gemmTiled<LAYOUT_TN>(m, n, k, A, B, C, accumulate);
}

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

// ============================================================================ softmax family
// One block per row (grid = rows, block = 128). Each row is shifted by its max before exp, as in
// ScalarSoftmax: (z − max)/T ≤ 0, so exp never overflows and log q never takes log of an underflow.
// Sums that feed a subtraction (backward dots, soft-target loss) are accumulated in float64.

// x (rows, cols) -> y = softmax(x / T) per row; y may be x
extern "C" __global__ void softmax_forward(const float* x, float* y, int rows, int cols, float invT) {
    const float* xr = x + (size_t)blockIdx.x * cols;
    float* yr = y + (size_t)blockIdx.x * cols;
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) mx = fmaxf(mx, xr[j]);
    mx = blockMax(mx);
    float s = 0.f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float e = expf((xr[j] - mx) * invT);
        yr[j] = e;
        s += e;
    }
    s = blockSum(s);
    float inv = 1.f / s;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) yr[j] *= inv;  // only this thread wrote yr[j]
}

// y = softmax output, dy (rows, cols) -> dx (+)= y (dy − Σ dy·y) / T
extern "C" __global__ void softmax_backward(const float* y, const float* dy, float* dx, int rows, int cols,
                                            float invT, int accumulate) {
    size_t o = (size_t)blockIdx.x * cols;
    double dot = 0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) dot += (double)dy[o + j] * y[o + j];
    dot = blockSum(dot);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float v = (float)(y[o + j] * (dy[o + j] - dot) * invT);
        dx[o + j] = accumulate ? dx[o + j] + v : v;
    }
}

// x (rows, cols) -> y = log_softmax(x / T) per row; y may be x
extern "C" __global__ void log_softmax_forward(const float* x, float* y, int rows, int cols, float invT) {
    size_t o = (size_t)blockIdx.x * cols;
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) mx = fmaxf(mx, x[o + j]);
    mx = blockMax(mx);
    float s = 0.f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf((x[o + j] - mx) * invT);
    float lse = logf(blockSum(s));
    for (int j = threadIdx.x; j < cols; j += blockDim.x) y[o + j] = (x[o + j] - mx) * invT - lse;
}

// y = log-softmax output, dy -> dx (+)= (dy − exp(y) Σ dy) / T
extern "C" __global__ void log_softmax_backward(const float* y, const float* dy, float* dx, int rows, int cols,
                                                float invT, int accumulate) {
    size_t o = (size_t)blockIdx.x * cols;
    double s = 0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += dy[o + j];
    s = blockSum(s);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float v = (float)((dy[o + j] - exp((double)y[o + j]) * s) * invT);
        dx[o + j] = accumulate ? dx[o + j] + v : v;
    }
}

// ============================================================================ fused softmax + cross-entropy
// logits z (rows, cols), labels (rows) -> rowLoss (rows, float64) = −log q_label,
// grad (rows, cols) = g (q − onehot(label)) when writeGrad, q = softmax(z / T), g = gradScale / T.
// A label outside [0, cols) gives a NaN loss (the Java side rejects such labels before launching).
extern "C" __global__ void softmax_xent_hard(const float* z, const int* labels, float* grad, double* rowLoss,
                                             int rows, int cols, float invT, float g, int writeGrad) {
    size_t o = (size_t)blockIdx.x * cols;
    int label = labels[blockIdx.x];
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) mx = fmaxf(mx, z[o + j]);
    mx = blockMax(mx);
    float s = 0.f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf((z[o + j] - mx) * invT);
    float lse = logf(blockSum(s));
    if (threadIdx.x == 0) {
        // −log q_label = log Σ exp((z − max)/T) − (z_label − max)/T
        rowLoss[blockIdx.x] = (label >= 0 && label < cols) ? (double)(lse - (z[o + label] - mx) * invT) : NAN;
    }
    if (!writeGrad) return;
    __syncthreads();  // z[label] is read above before anyone overwrites it (grad may be z)
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float q = expf((z[o + j] - mx) * invT - lse);
        grad[o + j] = g * (q - (j == label ? 1.f : 0.f));
    }
}

// logits z (rows, cols), targets p (rows, cols) -> rowLoss (rows, float64) = −Σ_j p_j log q_j,
// grad = g (q − p) when writeGrad
extern "C" __global__ void softmax_xent_soft(const float* z, const float* p, float* grad, double* rowLoss,
                                             int rows, int cols, float invT, float g, int writeGrad) {
    size_t o = (size_t)blockIdx.x * cols;
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) mx = fmaxf(mx, z[o + j]);
    mx = blockMax(mx);
    float s = 0.f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += expf((z[o + j] - mx) * invT);
    float lse = logf(blockSum(s));
    double loss = 0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float logQ = (z[o + j] - mx) * invT - lse;
        float pj = p[o + j];
        if (pj != 0.f) loss -= (double)pj * logQ;  // 0 · log q = 0 even when q underflows
        if (writeGrad) grad[o + j] = g * (expf(logQ) - pj);  // same thread read z[o+j], p[o+j] first
    }
    loss = blockSum(loss);
    if (threadIdx.x == 0) rowLoss[blockIdx.x] = loss;
}

// ============================================================================ bias, ReLU
// Elementwise kernels: grid-stride loops, block 256, grid capped by the caller.

#define GRID_STRIDE(i, n) \
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < (size_t)(n); i += (size_t)gridDim.x * blockDim.x)

// y (rows, cols) += bias (cols)
extern "C" __global__ void bias_add_forward(float* y, const float* bias, int rows, int cols) {
    GRID_STRIDE(i, (size_t)rows * cols) y[i] += bias[i % cols];
}

// dy (rows, cols) -> db (cols) (+)= Σ_rows dy; one thread per column (adjacent threads read adjacent columns)
extern "C" __global__ void bias_backward(const float* dy, float* db, int rows, int cols, int accumulate) {
    GRID_STRIDE(j, cols) {
        double s = 0;
        for (int r = 0; r < rows; r++) s += dy[(size_t)r * cols + j];
        db[j] = accumulate ? (float)(db[j] + s) : (float)s;
    }
}

// x (n) -> y (n) = max(x, 0), NaN passed through (as PyTorch: a NaN weight must reach the loss);
// y may be x. NaN fails every comparison, so the test is x <= 0, not x > 0.
extern "C" __global__ void relu_forward(const float* x, float* y, int n) {
    GRID_STRIDE(i, n) y[i] = x[i] <= 0.f ? 0.f : x[i];
}

// y (ReLU output), dy (n) -> dx (n) (+)= dy · [y > 0]; dx may be dy when not accumulating
extern "C" __global__ void relu_backward(const float* y, const float* dy, float* dx, int n, int accumulate) {
    GRID_STRIDE(i, n) {
        float v = y[i] > 0.f ? dy[i] : 0.f;
        dx[i] = accumulate ? dx[i] + v : v;
    }
}

// ============================================================================ axpy, scale, sums

// y (n) += a · x
extern "C" __global__ void axpy_f32(int n, float a, const float* x, float* y) {
    GRID_STRIDE(i, n) y[i] += a * x[i];
}

// x (n) *= a
extern "C" __global__ void scale_f32(int n, float a, float* x) {
    GRID_STRIDE(i, n) x[i] *= a;
}

// x (n) -> partial (gridDim.x, float64): each block's Σ x (squares = 0) or Σ x² (squares = 1).
// The caller adds the partials in float64: deterministic, unlike an atomicAdd of doubles.
extern "C" __global__ void sum_partial_f32(const float* x, int n, int squares, double* partial) {
    double s = 0;
    GRID_STRIDE(i, n) s += squares ? (double)x[i] * x[i] : (double)x[i];
    s = blockSum(s);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// ============================================================================ optimizer updates

// w, g, v (n): g' = g + wd·w; v = μ·v + (1 − d)·g'; w −= lr·(nesterov ? g' + μ·v : v). hasV = 0: w −= lr·g'
extern "C" __global__ void sgd_update(int n, float* w, const float* g, float* v, float lr, float momentum,
                                      float dampening, float weightDecay, int nesterov, int hasV) {
    GRID_STRIDE(i, n) {
        float gi = g[i] + weightDecay * w[i];
        if (!hasV) { w[i] -= lr * gi; continue; }
        float vi = momentum * v[i] + (1.f - dampening) * gi;
        v[i] = vi;
        w[i] -= lr * (nesterov ? gi + momentum * vi : vi);
    }
}

// w, g, m, v (n); bc1 = 1 − β1^t, bc2 = 1 − β2^t (float64, computed by the caller as on the CPU)
extern "C" __global__ void adam_update(int n, float* w, const float* g, float* m, float* v, float lr, float beta1,
                                       float beta2, float eps, float weightDecay, double bc1, double bc2) {
    GRID_STRIDE(i, n) {
        float gi = g[i] + weightDecay * w[i];
        float mi = beta1 * m[i] + (1.f - beta1) * gi;
        float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        double mHat = mi / bc1, vHat = vi / bc2;
        w[i] -= (float)(lr * mHat / (sqrt(vHat) + eps));
    }
}

// w (rows, cols), one unit's incoming weights per row; rows with L2 norm > maxNorm rescaled to maxNorm.
// One block per row (block 128).
extern "C" __global__ void max_norm_rows(float* w, int rows, int cols, float maxNorm) {
    size_t o = (size_t)blockIdx.x * cols;
    double sq = 0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) sq += (double)w[o + j] * w[o + j];
    double norm = sqrt(blockSum(sq));
    if (norm > maxNorm) {
        float s = (float)(maxNorm / norm);
        for (int j = threadIdx.x; j < cols; j += blockDim.x) w[o + j] *= s;
    }
}
