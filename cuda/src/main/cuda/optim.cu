// distill4j CUDA kernels, optimizer family (host side: distill4j.cuda.optim.CudaOptim). Compiled as part of
// distill4j_kernels.cu, after common.cuh.

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
