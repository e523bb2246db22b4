package distill4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.Backend;
import distill4j.kernels.ContractBase;
import distill4j.kernels.Backends;
import distill4j.kernels.gemm.GemmLayout;
import distill4j.kernels.ScalarBackend;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What is particular to the SIMD backend: registration, threading, input validation. */
class SimdBackendTest {
    private final Backend simd = new SimdBackend();

    @Test
    void registeredAsSimdWithPriority50() {
        boolean found = false;
        for (var p : Backends.providers()) {
            if (p.name().equals("simd")) {
                found = true;
                assertEquals(50, p.priority());
            }
        }
        assertTrue(found, "simd provider is on the service list");
        assertEquals("simd", Backends.choose("simd").name());
    }

    /** Every thread count (including more than the parts a shape allows) gives the same product. */
    @Test
    void gemmIsTheSameOnEveryThreadCount() {
        int before = SimdBackend.threads();
        long seed = 77;
        Random rnd = new Random(seed);
        int[][] shapes = {{128, 1200, 200}, {300, 65, 130}, {7, 2000, 160}, {130, 130, 130}}; // all ≥ 2^21 MACs: parallel
        try {
            for (GemmLayout layout : GemmLayout.values()) {
                for (int[] s : shapes) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = new float[m * k], b = new float[k * n];
                    for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
                    for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
                    SimdBackend.setThreads(1);
                    float[] one = new float[m * n];
                    simd.gemm().gemm(layout, m, n, k, a, b, one, false);
                    for (int t : new int[] {2, 3, 5}) {
                        SimdBackend.setThreads(t);
                        float[] many = new float[m * n];
                        simd.gemm().gemm(layout, m, n, k, a, b, many, false);
                        // each C element is computed by the same code on one thread: identical
                        for (int i = 0; i < m * n; i++) {
                            if (Float.floatToRawIntBits(one[i]) != Float.floatToRawIntBits(many[i])) {
                                throw new AssertionError(layout + " " + m + "×" + n + "×" + k + " threads=" + t + " seed=" + seed
                                        + ": C[" + i + "] = " + many[i] + " but " + one[i] + " on one thread");
                            }
                        }
                    }
                }
            }
        } finally {
            SimdBackend.setThreads(before);
        }
    }

    /**
     * Large dropout calls run on the pool in chunks: bit-identical to the scalar reference on every
     * thread count, for element-index bases that are not block-aligned and that cross 2³² blocks,
     * forward (also in place) and backward with accumulation; and from two callers at once.
     */
    @Test
    void largeDropoutIsBitIdenticalOnEveryThreadCount() throws Exception {
        int before = SimdBackend.threads();
        ScalarBackend ref = new ScalarBackend();
        Random rnd = new Random(78);
        int n = SimdParams.DROPOUT_PARALLEL_MIN * 3 + 7;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        try {
            for (long base : new long[] {0, 5, (1L << 34) - 13}) {
                float[] want = new float[n], wantBack = new float[n];
                ref.dropout().dropoutForward(x, want, n, 0.3f, 11, 1L << 33, base);
                java.util.Arrays.fill(wantBack, 1f);
                ref.dropout().dropoutBackward(x, wantBack, n, 0.3f, 11, 1L << 33, base, true);
                for (int t : new int[] {1, 2, 3, 5}) {
                    SimdBackend.setThreads(t);
                    String where = "dropout n=" + n + " indexBase=" + base + " threads=" + t;
                    float[] got = new float[n];
                    simd.dropout().dropoutForward(x, got, n, 0.3f, 11, 1L << 33, base);
                    assertBitIdentical(where + " forward", want, got);
                    float[] inPlace = x.clone();
                    simd.dropout().dropoutForward(inPlace, inPlace, n, 0.3f, 11, 1L << 33, base);
                    assertBitIdentical(where + " forward in place", want, inPlace);
                    float[] back = new float[n];
                    java.util.Arrays.fill(back, 1f);
                    simd.dropout().dropoutBackward(x, back, n, 0.3f, 11, 1L << 33, base, true);
                    assertBitIdentical(where + " backward, accumulate", wantBack, back);
                }
            }
            SimdBackend.setThreads(2);
            float[] want = new float[n];
            ref.dropout().dropoutForward(x, want, n, 0.5f, 3, 4, 1);
            onTwoCallers(() -> {
                for (int rep = 0; rep < 10; rep++) {
                    float[] got = new float[n];
                    simd.dropout().dropoutForward(x, got, n, 0.5f, 3, 4, 1);
                    assertBitIdentical("dropout from two callers, rep " + rep, want, got);
                }
            });
        } finally {
            SimdBackend.setThreads(before);
        }
    }

    /**
     * Fused softmax-CE calls of at least SOFTMAX_PARALLEL_MIN logits run in row chunks on the pool: the
     * loss and gradient are the same bits on 1, 2, 3 and 5 threads and from two callers at once, and
     * match the scalar reference within the contract's tolerances.
     */
    @Test
    void largeFusedLossIsBitIdenticalOnEveryThreadCount() throws Exception {
        int before = SimdBackend.threads();
        ScalarBackend ref = new ScalarBackend();
        Random rnd = new Random(79);
        int[][] shapes = {{300, 250}, {4099, 17}, {70, 1001}, {2, 40000}};
        try {
            for (int[] sh : shapes) {
                int rows = sh[0], cols = sh[1], n = rows * cols;
                assertTrue(n >= SimdParams.SOFTMAX_PARALLEL_MIN, "shape below the parallel threshold");
                float[] z = new float[n], teacher = new float[n], p = new float[n];
                for (int i = 0; i < n; i++) {
                    z[i] = (float) rnd.nextGaussian() * 5;
                    teacher[i] = (float) rnd.nextGaussian() * 5;
                }
                ref.softmax().softmaxForward(teacher, p, rows, cols, 4f);
                int[] labels = new int[rows];
                for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(cols);
                float gs = 3f / rows;
                float[] refHard = new float[n], refSoft = new float[n];
                double refHardLoss = ref.softmax().softmaxCrossEntropyHard(z, labels, refHard, rows, cols, 1.5f, gs);
                double refSoftLoss = ref.softmax().softmaxCrossEntropySoft(z, p, refSoft, rows, cols, 4f, gs);
                // Compiled code first: on JDK 25 a float reduceLanes(ADD) adds its lanes in another
                // order when C2 has compiled it than in the interpreter, so a call that runs partly
                // interpreted (one thread) and one that runs compiled (another) can differ in the last
                // bits, whatever the chunking (seen once in CI at 2×40000).
                for (int t : new int[] {1, 2}) {
                    SimdBackend.setThreads(t);
                    float[] scratch = new float[n];
                    for (int rep = 0; rep < 300; rep++) {
                        simd.softmax().softmaxCrossEntropyHard(z, labels, scratch, rows, cols, 1.5f, gs);
                        simd.softmax().softmaxCrossEntropySoft(z, p, scratch, rows, cols, 4f, gs);
                        simd.softmax().softmaxCrossEntropySoft(z, p, null, rows, cols, 4f, gs);
                    }
                }
                float[] oneHard = null, oneSoft = null;
                double oneHardLoss = 0, oneSoftLoss = 0;
                for (int t : new int[] {1, 2, 3, 5}) {
                    SimdBackend.setThreads(t);
                    String where = "fused softmax-CE " + rows + "×" + cols + " threads=" + t;
                    float[] hard = new float[n], soft = new float[n];
                    double hardLoss = simd.softmax().softmaxCrossEntropyHard(z, labels, hard, rows, cols, 1.5f, gs);
                    double softLoss = simd.softmax().softmaxCrossEntropySoft(z, p, soft, rows, cols, 4f, gs);
                    assertEquals(softLoss, simd.softmax().softmaxCrossEntropySoft(z, p, null, rows, cols, 4f, gs), 0.0,
                            where + ": the loss without a gradient");
                    assertEquals(hardLoss, simd.softmax().softmaxCrossEntropyHard(z, labels, null, rows, cols, 1.5f, gs), 0.0,
                            where + ": the hard loss without a gradient");
                    if (t == 1) {
                        oneHard = hard;
                        oneSoft = soft;
                        oneHardLoss = hardLoss;
                        oneSoftLoss = softLoss;
                        assertClose(refHardLoss, hardLoss,
                                ContractBase.LOSS_ATOL * rows, ContractBase.LOSS_RTOL, where + " hard loss");
                        assertClose(refSoftLoss, softLoss,
                                ContractBase.LOSS_ATOL * rows, ContractBase.LOSS_RTOL, where + " soft loss");
                        float tol = ContractBase.CE_GRAD_ATOL * 3f / rows;
                        for (int i = 0; i < n; i++) {
                            assertClose(refHard[i], hard[i], tol * 1.5,
                                    ContractBase.CE_GRAD_RTOL, where + " hard grad[" + i + "]");
                            assertClose(refSoft[i], soft[i], tol,
                                    ContractBase.CE_GRAD_RTOL, where + " soft grad[" + i + "]");
                        }
                    } else {
                        assertEquals(Double.doubleToRawLongBits(oneHardLoss), Double.doubleToRawLongBits(hardLoss), where + " hard loss bits");
                        assertEquals(Double.doubleToRawLongBits(oneSoftLoss), Double.doubleToRawLongBits(softLoss), where + " soft loss bits");
                        assertBitIdentical(where + " hard grad", oneHard, hard);
                        assertBitIdentical(where + " soft grad", oneSoft, soft);
                    }
                }
                SimdBackend.setThreads(2);
                float[] wantSoft = oneSoft;
                double wantLoss = oneSoftLoss;
                onTwoCallers(() -> {
                    for (int rep = 0; rep < 5; rep++) {
                        float[] got = new float[n];
                        assertEquals(wantLoss, simd.softmax().softmaxCrossEntropySoft(z, p, got, rows, cols, 4f, gs), 0.0, "two callers");
                        assertBitIdentical("fused softmax-CE from two callers, rep " + rep, wantSoft, got);
                    }
                });
            }
        } finally {
            SimdBackend.setThreads(before);
        }
    }

    private static void assertClose(double want, double got, double atol, double rtol, String where) {
        if (!(Math.abs(got - want) <= atol + rtol * Math.abs(want))) {
            throw new AssertionError(where + ": " + got + ", scalar reference " + want + " (atol " + atol + ", rtol " + rtol + ")");
        }
    }

    private static void assertBitIdentical(String where, float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(where + ": y[" + i + "] = " + got[i] + " but the scalar reference gives " + want[i]);
            }
        }
    }

    /** Two callers at once: one gets the pool, the other runs serially; both results right. */
    @Test
    void concurrentGemmsFromTwoThreads() throws Exception {
        int m = 128, n = 600, k = 300;
        Random rnd = new Random(5);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
        float[] want = new float[m * n];
        new ScalarBackend().gemm().gemm(GemmLayout.NN, m, n, k, a, b, want, false);
        onTwoCallers(() -> {
            for (int rep = 0; rep < 20; rep++) {
                float[] c = new float[m * n];
                simd.gemm().gemm(GemmLayout.NN, m, n, k, a, b, c, false);
                for (int i = 0; i < c.length; i++) {
                    if (Math.abs(c[i] - want[i]) > 1e-3f) throw new AssertionError("C[" + i + "] = " + c[i] + " want " + want[i]);
                }
            }
        });
    }

    /** Runs {@code body} on this thread and on a second one at the same time; fails with the first failure. */
    private static void onTwoCallers(Runnable body) throws InterruptedException {
        Throwable[] failure = new Throwable[2];
        Thread other = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure[1] = t;
            }
        });
        other.start();
        try {
            body.run();
        } catch (Throwable t) {
            failure[0] = t;
        }
        other.join();
        for (Throwable f : failure) if (f != null) throw new AssertionError(f);
    }

    @Test
    void badInputIsRejectedWithTheOpAndShapes() {
        float[] small = new float[5];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> simd.gemm().gemm(GemmLayout.NT, 2, 3, 4, small, new float[12], new float[6], false));
        assertTrue(e.getMessage().contains("gemm NT") && e.getMessage().contains("m=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> simd.gemm().gemm(GemmLayout.NN, -1, 3, 4, small, small, small, false));
        assertTrue(e.getMessage().contains("m=-1"), e.getMessage());
        float[] c = new float[4];
        e = assertThrows(IllegalArgumentException.class, () -> simd.gemm().gemm(GemmLayout.NN, 2, 2, 2, c, new float[4], c, false));
        assertTrue(e.getMessage().contains("alias"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> simd.softmax().softmaxCrossEntropyHard(new float[6], new int[] {0, 3}, null, 2, 3, 1f, 1f));
        assertTrue(e.getMessage().contains("label 3 of row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> simd.softmax().softmaxForward(new float[6], new float[6], 2, 3, 0f));
        assertTrue(e.getMessage().contains("softmaxForward") && e.getMessage().contains("temperature"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> simd.elementwise().reluForward(new float[10], new float[9], 10));
        assertTrue(e.getMessage().contains("reluForward") && e.getMessage().contains("n=10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> simd.softmax().softmaxCrossEntropySoft(new float[12], new float[11], null, 3, 4, 1f, 1f));
        assertTrue(e.getMessage().contains("softmaxCrossEntropySoft (3×4)") && e.getMessage().contains("targets has 11"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> simd.elementwise().biasAddForward(new float[12], new float[3], 3, 4));
        assertTrue(e.getMessage().contains("bias has 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> simd.optim().adamUpdate(5, new float[5], new float[5], new float[5], new float[5], 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 0));
        assertTrue(e.getMessage().contains("step t"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SimdBackend.setThreads(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }
}
