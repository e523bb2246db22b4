// distill4j CUDA kernels, GEMM family (host side: distill4j.cuda.gemm.CudaGemm). Compiled as part of
// distill4j_kernels.cu, after common.cuh.

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
