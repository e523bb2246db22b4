package distill4j.cuda.gemm;

import static distill4j.cuda.CudaLaunch.arg;
import static distill4j.cuda.CudaLaunch.requireFloats;

import distill4j.cuda.CudaDevice;
import distill4j.cuda.CudaLaunch;
import distill4j.cuda.DeviceBuffer;
import distill4j.cuda.HostStaging;
import distill4j.kernels.Checks;
import distill4j.kernels.gemm.GemmKernels;
import distill4j.kernels.gemm.GemmLayout;
import jcuda.driver.CUfunction;

/**
 * SGEMM: kernels gemm_f32_{nn,nt,tn} (shared-memory tiles of 64×64×16, 4×4 register blocks per
 * thread; see distill4j_kernels.cu), on device buffers ({@link #gemmF32}) and, through a
 * {@link HostStaging}, as the family's {@code float[]} interface.
 */
public final class CudaGemm implements GemmKernels {
    private final CudaDevice device;
    private final HostStaging staging;
    private final CUfunction nn, nt, tn;

    public CudaGemm(CudaDevice device) {
        this(device, new HostStaging(device));
    }

    public CudaGemm(CudaDevice device, HostStaging staging) {
        this.device = device;
        this.staging = staging;
        this.nn = device.function("gemm_f32_nn");
        this.nt = device.function("gemm_f32_nt");
        this.tn = device.function("gemm_f32_tn");
    }

    /**
     * C (m, n) = op(A) · op(B), or += when accumulating.
     * NN: A (m, k), B (k, n) | NT: A (m, k), B (n, k) | TN: A (k, m), B (k, n). C must not alias A or B.
     */
    public void gemmF32(GemmLayout layout, int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c,
                        boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm " + layout + ": negative size m=" + m + ", n=" + n + ", k=" + k);
        }
        requireFloats("gemm " + layout + " A", a, (long) m * k);
        requireFloats("gemm " + layout + " B", b, (long) k * n);
        requireFloats("gemm " + layout + " C", c, (long) m * n);
        if (m == 0 || n == 0) return;
        int tilesM = (m + CudaLaunch.GEMM_TILE - 1) / CudaLaunch.GEMM_TILE;
        if (tilesM > CudaLaunch.MAX_GRID_Y) {
            throw new IllegalArgumentException("gemm " + layout + ": m=" + m + " exceeds the " + CudaLaunch.MAX_GRID_Y
                    + " row tiles of one launch");
        }
        int tilesN = (n + CudaLaunch.GEMM_TILE - 1) / CudaLaunch.GEMM_TILE;
        CUfunction f = layout == GemmLayout.NN ? nn : layout == GemmLayout.NT ? nt : tn;
        CudaLaunch.launch(device, f, tilesN, tilesM, CudaLaunch.GEMM_THREADS,
                arg(m), arg(n), arg(k), arg(a), arg(b), arg(c), arg(accumulate));
    }

    // NN: A (m, k), B (k, n) | NT: A (m, k), B (n, k) | TN: A (k, m), B (k, n)  ->  C (m, n), host arrays
    @Override
    public void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        Checks.gemm(layout, m, n, k, a, b, c);
        String op = "gemm " + layout + " (m=" + m + ", n=" + n + ", k=" + k + ")";
        synchronized (staging) {
            staging.begin();
            DeviceBuffer da = staging.in(op, "A", a, (long) m * k);
            DeviceBuffer db = staging.in(op, "B", b, (long) k * n);
            DeviceBuffer dc = accumulate ? staging.in(op, "C", c, (long) m * n) : staging.out(op, "C", c, (long) m * n);
            gemmF32(layout, m, n, k, da, db, dc, accumulate);
            dc.copyTo(c, m * n);
        }
    }
}
