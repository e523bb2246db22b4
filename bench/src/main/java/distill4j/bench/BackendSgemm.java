package distill4j.bench;

import distill4j.kernels.Backend;
import distill4j.kernels.gemm.GemmLayout;

/** A distill4j {@link Backend} seen as an {@link Sgemm}. */
final class BackendSgemm implements Sgemm {
    private final Backend backend;
    private final int threads;

    BackendSgemm(Backend backend, int threads) {
        this.backend = backend;
        this.threads = threads;
    }

    @Override public String name() { return backend.name(); }

    @Override
    public String describe() {
        return "distill4j " + backend.name() + " (" + backend.getClass().getName() + "), -D"
                + Variants.THREADS_PROPERTY + "=" + threads;
    }

    @Override
    public void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        backend.gemm().gemm(layout, m, n, k, a, b, c, accumulate);
    }
}
