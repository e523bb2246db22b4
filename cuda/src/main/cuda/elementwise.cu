// distill4j CUDA kernels, elementwise family (host side: distill4j.cuda.elementwise.CudaElementwise). Compiled as part of
// distill4j_kernels.cu, after common.cuh.

// ============================================================================ bias, ReLU
// Elementwise kernels: grid-stride loops (GRID_STRIDE, common.cuh), block 256, grid capped by the caller.

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
