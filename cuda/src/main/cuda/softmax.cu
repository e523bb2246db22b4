// distill4j CUDA kernels, softmax family (host side: distill4j.cuda.softmax.CudaSoftmax). Compiled as part of
// distill4j_kernels.cu, after common.cuh.

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
