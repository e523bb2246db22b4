package distill4j.cuda;

import static distill4j.cuda.CudaElementwise.checkCount;
import static distill4j.cuda.CudaGemm.requireFloats;
import static distill4j.cuda.CudaLaunch.arg;
import static distill4j.cuda.CudaLaunch.gridFor;

import jcuda.driver.CUfunction;

/** Optimizer updates on device buffers: SGD with momentum, Adam, max-norm rows. Semantics as ScalarOptim. */
public final class CudaOptim {
    private final CudaDevice device;
    private final CUfunction sgd, adam, maxNormKernel;

    public CudaOptim(CudaDevice device) {
        this.device = device;
        sgd = device.function("sgd_update");
        adam = device.function("adam_update");
        maxNormKernel = device.function("max_norm_rows");
    }

    /**
     * g' = g + wd·w; v = μ·v + (1 − d)·g'; w −= lr·(nesterov ? g' + μ·v : v). With v null: w −= lr·g'.
     */
    public void sgdUpdate(int n, DeviceBuffer w, DeviceBuffer g, DeviceBuffer v, float lr, float momentum,
                          float dampening, float weightDecay, boolean nesterov) {
        checkCount("sgdUpdate", n);
        requireFloats("sgdUpdate w", w, n);
        requireFloats("sgdUpdate g", g, n);
        if (v != null) requireFloats("sgdUpdate v", v, n);
        if (n == 0) return;
        CudaLaunch.launch(device, sgd, gridFor(n), 1, CudaLaunch.ELEMENTWISE_THREADS, arg(n), arg(w), arg(g), arg(v),
                arg(lr), arg(momentum), arg(dampening), arg(weightDecay), arg(nesterov), arg(v != null));
    }

    /** Adam with L2 weight decay, bias corrections 1 − β^t computed in float64 as on the CPU; t ≥ 1. */
    public void adamUpdate(int n, DeviceBuffer w, DeviceBuffer g, DeviceBuffer m, DeviceBuffer v, float lr,
                           float beta1, float beta2, float eps, float weightDecay, long t) {
        checkCount("adamUpdate", n);
        if (t < 1) throw new IllegalArgumentException("adamUpdate: step t must be ≥ 1 (after increment), got " + t);
        requireFloats("adamUpdate w", w, n);
        requireFloats("adamUpdate g", g, n);
        requireFloats("adamUpdate m", m, n);
        requireFloats("adamUpdate v", v, n);
        if (n == 0) return;
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        CudaLaunch.launch(device, adam, gridFor(n), 1, CudaLaunch.ELEMENTWISE_THREADS, arg(n), arg(w), arg(g), arg(m),
                arg(v), arg(lr), arg(beta1), arg(beta2), arg(eps), arg(weightDecay), arg(bc1), arg(bc2));
    }

    /** w (rows, cols): rows with L2 norm above maxNorm rescaled to norm maxNorm. */
    public void maxNormRows(DeviceBuffer w, int rows, int cols, float maxNorm) {
        checkCount("maxNormRows rows", rows);
        checkCount("maxNormRows cols", cols);
        if (!(maxNorm >= 0f)) throw new IllegalArgumentException("maxNormRows: maxNorm must be ≥ 0, got " + maxNorm);
        requireFloats("maxNormRows w", w, (long) rows * cols);
        if (rows == 0 || cols == 0) return;
        CudaLaunch.launch(device, maxNormKernel, rows, 1, CudaLaunch.ROW_THREADS, arg(w), arg(rows), arg(cols), arg(maxNorm));
    }
}
