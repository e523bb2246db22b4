package distill4j.cuda.dropout;

import static distill4j.cuda.CudaLaunch.arg;
import static distill4j.cuda.CudaLaunch.checkCount;
import static distill4j.cuda.CudaLaunch.gridFor;
import static distill4j.cuda.CudaLaunch.requireFloats;

import distill4j.cuda.CudaDevice;
import distill4j.cuda.CudaLaunch;
import distill4j.cuda.DeviceBuffer;
import distill4j.cuda.HostStaging;
import distill4j.kernels.Checks;
import distill4j.kernels.dropout.DropoutKernels;
import jcuda.Pointer;
import jcuda.driver.CUfunction;

/**
 * Dropout with the Philox4x32-10 mask (each thread computes one counter block: 4 elements), the same
 * bits as {@code distill4j.kernels.dropout.Philox}: on device buffers, and through a
 * {@link HostStaging} as the family's {@code float[]} interface.
 */
public final class CudaDropout implements DropoutKernels {
    private final CudaDevice device;
    private final HostStaging staging;
    private final CUfunction dropoutForward, dropoutBackward;

    public CudaDropout(CudaDevice device) {
        this(device, new HostStaging(device));
    }

    public CudaDropout(CudaDevice device, HostStaging staging) {
        this.device = device;
        this.staging = staging;
        dropoutForward = device.function("dropout_forward");
        dropoutBackward = device.function("dropout_backward");
    }

    private void gridStride(CUfunction f, long work, Pointer... args) {
        CudaLaunch.launch(device, f, gridFor(work), 1, CudaLaunch.ELEMENTWISE_THREADS, args);
    }

    static void checkIndexBase(String op, long indexBase, int n) {
        if (indexBase < 0 || indexBase > Long.MAX_VALUE - n) {
            throw new IllegalArgumentException(op + ": indexBase " + indexBase + " + n " + n + " is outside [0, 2^63)");
        }
    }

    /** y (n) = x · keep / (1 − p), keep = Philox.keep(seed, step, indexBase + i, p); y may be x. */
    public void dropoutForward(DeviceBuffer x, DeviceBuffer y, int n, float p, long seed, long step, long indexBase) {
        Checks.dropout("dropoutForward", n, p, indexBase);
        checkCount("dropoutForward", n);
        checkIndexBase("dropoutForward", indexBase, n);
        requireFloats("dropoutForward x", x, n);
        requireFloats("dropoutForward y", y, n);
        if (n == 0) return;
        float scale = 1f / (1f - p);  // in float, exactly as the CPU backends
        gridStride(dropoutForward, (n + 7) / 4, arg(x), arg(y), arg(n), arg(p), arg(scale), arg(seed), arg(step),
                arg(indexBase));
    }

    /** dx (n) (+)= dy · keep / (1 − p), the forward call's mask. */
    public void dropoutBackward(DeviceBuffer dy, DeviceBuffer dx, int n, float p, long seed, long step,
                                long indexBase, boolean accumulate) {
        Checks.dropout("dropoutBackward", n, p, indexBase);
        checkCount("dropoutBackward", n);
        checkIndexBase("dropoutBackward", indexBase, n);
        requireFloats("dropoutBackward dy", dy, n);
        requireFloats("dropoutBackward dx", dx, n);
        if (n == 0) return;
        float scale = 1f / (1f - p);
        gridStride(dropoutBackward, (n + 7) / 4, arg(dy), arg(dx), arg(n), arg(p), arg(scale), arg(seed), arg(step),
                arg(indexBase), arg(accumulate));
    }

    // ---------------------------------------------------------------- the family on host arrays

    @Override
    public void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase) {
        Checks.dropout("dropoutForward", n, p, indexBase);
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dx = staging.in("dropoutForward", "x", x, n);
            DeviceBuffer dy = staging.out("dropoutForward", "y", y, n);
            dropoutForward(dx, dy, n, p, seed, step, indexBase);
            dy.copyTo(y, n);
        }
    }

    @Override
    public void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step, long indexBase,
                                boolean accumulate) {
        Checks.dropout("dropoutBackward", n, p, indexBase);
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dDy = staging.in("dropoutBackward", "dy", dy, n);
            DeviceBuffer dDx = accumulate ? staging.in("dropoutBackward", "dx", dx, n) : staging.out("dropoutBackward", "dx", dx, n);
            dropoutBackward(dDy, dDx, n, p, seed, step, indexBase, accumulate);
            dDx.copyTo(dx, n);
        }
    }
}
