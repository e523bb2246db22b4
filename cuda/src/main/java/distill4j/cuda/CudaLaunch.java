package distill4j.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUfunction;

/**
 * Launch shapes of every kernel in one place (they must match the constants of distill4j_kernels.cu),
 * the launch call itself, and the device-buffer argument checks. Internal to the kernel families.
 */
public final class CudaLaunch {
    /** GEMM: a 64×64 tile of C per block of 256 threads (GEMM_BM, GEMM_BN, GEMM_THREADS in the .cu). */
    public static final int GEMM_TILE = 64;
    public static final int GEMM_THREADS = 256;
    /** gridDim.y limit of the hardware: GEMM puts row tiles there. */
    public static final int MAX_GRID_Y = 65535;
    /** Row kernels (softmax family, fused loss, max-norm): one block per row. */
    public static final int ROW_THREADS = 128;
    /** Elementwise kernels: grid-stride loops. */
    public static final int ELEMENTWISE_THREADS = 256;
    /**
     * Cap on the grid of grid-stride kernels: enough blocks to fill any current GPU; the tests lower it
     * (-Ddistill4j.cuda.maxGridBlocks) so that the grid-stride loops go round more than once.
     */
    public static final int MAX_GRID_BLOCKS = Integer.getInteger("distill4j.cuda.maxGridBlocks", 1024);

    private CudaLaunch() {}

    /** Blocks for a grid-stride loop over {@code work} items. */
    public static int gridFor(long work) {
        long blocks = (work + ELEMENTWISE_THREADS - 1) / ELEMENTWISE_THREADS;
        return (int) Math.max(1, Math.min(blocks, MAX_GRID_BLOCKS));
    }

    public static void launch(CudaDevice device, CUfunction f, int gridX, int gridY, int blockX, Pointer... args) {
        device.makeCurrent();
        cuLaunchKernel(f, gridX, gridY, 1, blockX, 1, 1, 0, null, Pointer.to((NativePointerObject[]) args), null);
    }

    public static Pointer arg(int v) { return Pointer.to(new int[] {v}); }
    public static Pointer arg(boolean v) { return Pointer.to(new int[] {v ? 1 : 0}); }
    public static Pointer arg(float v) { return Pointer.to(new float[] {v}); }
    public static Pointer arg(double v) { return Pointer.to(new double[] {v}); }
    public static Pointer arg(long v) { return Pointer.to(new long[] {v}); }
    /** A device pointer argument; null passes a null pointer. */
    public static Pointer arg(DeviceBuffer b) { return b == null ? Pointer.to(new long[] {0L}) : Pointer.to(b.pointer()); }

    /** n ≥ 0. */
    public static void checkCount(String op, long n) {
        if (n < 0) throw new IllegalArgumentException(op + ": negative size " + n);
    }

    /** The device buffer holds at least n floats. */
    public static void requireFloats(String what, DeviceBuffer b, long n) {
        if (b.floats() < n) {
            throw new IllegalArgumentException(what + ": needs " + n + " floats, the device buffer holds " + b.floats());
        }
    }
}
