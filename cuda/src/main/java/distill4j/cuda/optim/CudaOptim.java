package distill4j.cuda.optim;

import static distill4j.cuda.CudaLaunch.checkCount;
import static distill4j.cuda.CudaLaunch.requireFloats;
import static distill4j.cuda.CudaLaunch.arg;
import static distill4j.cuda.CudaLaunch.gridFor;

import distill4j.cuda.CudaDevice;
import distill4j.cuda.CudaLaunch;
import distill4j.cuda.DeviceBuffer;
import distill4j.cuda.HostStaging;
import distill4j.kernels.Checks;
import distill4j.kernels.optim.OptimKernels;
import jcuda.driver.CUfunction;

/**
 * Optimizer updates: SGD with momentum, Adam, max-norm rows, semantics as ScalarOptim; on device
 * buffers, and through a {@link HostStaging} as the family's {@code float[]} interface.
 */
public final class CudaOptim implements OptimKernels {
    private final CudaDevice device;
    private final HostStaging staging;
    private final CUfunction sgd, adam, maxNormKernel;

    public CudaOptim(CudaDevice device) {
        this(device, new HostStaging(device));
    }

    public CudaOptim(CudaDevice device, HostStaging staging) {
        this.device = device;
        this.staging = staging;
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
        Checks.adamStep(t);
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
        Checks.maxNorm(maxNorm);
        requireFloats("maxNormRows w", w, (long) rows * cols);
        if (rows == 0 || cols == 0) return;
        CudaLaunch.launch(device, maxNormKernel, rows, 1, CudaLaunch.ROW_THREADS, arg(w), arg(rows), arg(cols), arg(maxNorm));
    }

    // ---------------------------------------------------------------- the family on host arrays

    @Override
    public void sgdUpdate(int n, float[] w, float[] g, float[] v, float lr, float momentum, float dampening,
                          float weightDecay, boolean nesterov) {
        Checks.sgdVelocity(v, momentum);
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dw = staging.in("sgdUpdate", "w", w, n);
            DeviceBuffer dg = staging.in("sgdUpdate", "g", g, n);
            DeviceBuffer dv = v == null ? null : staging.in("sgdUpdate", "v", v, n);
            sgdUpdate(n, dw, dg, dv, lr, momentum, dampening, weightDecay, nesterov);
            dw.copyTo(w, n);
            if (v != null) dv.copyTo(v, n);
        }
    }

    @Override
    public void adamUpdate(int n, float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2,
                           float eps, float weightDecay, long t) {
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dw = staging.in("adamUpdate", "w", w, n);
            DeviceBuffer dg = staging.in("adamUpdate", "g", g, n);
            DeviceBuffer dm = staging.in("adamUpdate", "m", m, n);
            DeviceBuffer dv = staging.in("adamUpdate", "v", v, n);
            adamUpdate(n, dw, dg, dm, dv, lr, beta1, beta2, eps, weightDecay, t);
            dw.copyTo(w, n);
            dm.copyTo(m, n);
            dv.copyTo(v, n);
        }
    }

    @Override
    public void maxNormRows(float[] w, int rows, int cols, float maxNorm) {
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dw = staging.in("maxNormRows", "w", w, (long) rows * cols);
            maxNormRows(dw, rows, cols, maxNorm);
            dw.copyTo(w, rows * cols);
        }
    }
}
