package distill4j.kernels.simd;

import distill4j.kernels.Backend;
import distill4j.kernels.dropout.DropoutKernels;
import distill4j.kernels.dropout.SimdDropout;
import distill4j.kernels.elementwise.ElementwiseKernels;
import distill4j.kernels.elementwise.SimdElementwise;
import distill4j.kernels.gemm.GemmKernels;
import distill4j.kernels.gemm.SimdGemm;
import distill4j.kernels.optim.OptimKernels;
import distill4j.kernels.optim.SimdOptim;
import distill4j.kernels.softmax.SimdSoftmax;
import distill4j.kernels.softmax.SoftmaxKernels;

/**
 * The CPU fast path: the SIMD version of every kernel family ({@code jdk.incubator.vector}, species
 * {@link SimdParams#F}); GEMM, large dropout and large fused softmax-CE calls also run on the shared
 * pool of threads ({@link #setThreads}). Results match {@code ScalarBackend} within the tolerances
 * named in the contract tests; dropout masks are bit-identical.
 *
 * <p>Needs {@code --add-modules jdk.incubator.vector}; without it the constructor throws
 * {@link NoClassDefFoundError} and {@code Backends} falls back to scalar.
 */
public final class SimdBackend implements Backend {
    private final GemmKernels gemm;
    private final SoftmaxKernels softmax;
    private final DropoutKernels dropout;
    private final ElementwiseKernels elementwise;
    private final OptimKernels optim;

    public SimdBackend() {
        // touch the Vector API now, so a JVM without the incubator module fails here, in create()
        if (SimdParams.LANES < 1) throw new IllegalStateException("no float vector species");
        gemm = new SimdGemm();
        softmax = new SimdSoftmax();
        dropout = new SimdDropout();
        elementwise = new SimdElementwise();
        optim = new SimdOptim();
    }

    @Override public String name() { return "simd"; }
    @Override public GemmKernels gemm() { return gemm; }
    @Override public SoftmaxKernels softmax() { return softmax; }
    @Override public DropoutKernels dropout() { return dropout; }
    @Override public ElementwiseKernels elementwise() { return elementwise; }
    @Override public OptimKernels optim() { return optim; }

    /** Threads (including the caller) that large GEMMs are split over; also {@code -Ddistill4j.threads=N}. */
    public static void setThreads(int threads) {
        SimdPool.setSharedThreads(threads);
    }

    /** The current thread count of the shared pool. */
    public static int threads() {
        return SimdPool.shared().threads();
    }

    /** The pool's worker threads (for allocation accounting); the calling thread is not among them. */
    public static Thread[] workerThreads() {
        return SimdPool.shared().workerThreads();
    }

    /** Float lanes per vector in use (16 with AVX-512). */
    public static int lanes() {
        return SimdParams.LANES;
    }
}
