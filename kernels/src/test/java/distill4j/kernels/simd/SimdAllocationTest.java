package distill4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.fail;

import distill4j.kernels.Backend;
import distill4j.kernels.gemm.GemmLayout;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * After warm-up the SIMD backend allocates nothing per call, on the calling thread or on the GEMM
 * workers: one training step's worth of calls (an MLP layer forward and backward, dropout, the fused
 * loss, an optimizer step) is repeated until the JIT has compiled it, then measured with
 * {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes}. Allocation is counted per kernel
 * family, so a failure names the method that still allocates.
 */
class SimdAllocationTest {
    /**
     * Warm-up budget: rounds of {@link #CALLS} calls of every kernel until one round allocates nothing
     * (a few seconds when the machine is idle; the time bound leaves room for a JIT starved of CPU).
     */
    private static final int MAX_ROUNDS = 5000;
    private static final long MAX_WARMUP_NANOS = 90_000_000_000L;
    private static final int CALLS = 10;

    private final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void steadyStateAllocatesNothing() {
        int before = SimdBackend.threads();
        SimdBackend.setThreads(2); // exercise the pool even on a 1-core runner
        try {
            run();
        } finally {
            SimdBackend.setThreads(before);
        }
    }

    private void run() {
        Backend b = new SimdBackend();
        Random rnd = new Random(3);
        int batch = 64, in = 200, out = 200, classes = 10; // GEMMs of 2.6·10⁶ MACs: on the pool
        float[] x = fill(rnd, batch * in), w = fill(rnd, out * in), bias = fill(rnd, out);
        float[] h = new float[batch * out], dh = fill(rnd, batch * out), dx = new float[batch * in];
        float[] dw = new float[out * in], db = new float[out], v = new float[out * in], m2 = new float[out * in];
        float[] am = new float[out * in], av = new float[out * in];
        float[] logits = fill(rnd, batch * classes), target = new float[batch * classes], grad = new float[batch * classes];
        b.softmax().softmaxForward(fill(rnd, batch * classes), target, batch, classes, 2f);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = rnd.nextInt(classes);
        float[] sm = new float[batch * classes];

        Map<String, Runnable> kernels = new LinkedHashMap<>();
        kernels.put("gemm NT (forward)", () -> b.gemm().gemm(GemmLayout.NT, batch, out, in, x, w, h, false));
        kernels.put("gemm NN (input grad)", () -> b.gemm().gemm(GemmLayout.NN, batch, in, out, dh, w, dx, false));
        kernels.put("gemm TN (weight grad)", () -> b.gemm().gemm(GemmLayout.TN, out, in, batch, dh, x, dw, true));
        kernels.put("bias", () -> {
            b.elementwise().biasAddForward(h, bias, batch, out);
            b.elementwise().biasBackward(dh, db, batch, out, false);
        });
        kernels.put("relu", () -> {
            b.elementwise().reluForward(h, h, batch * out);
            b.elementwise().reluBackward(h, dh, dh, batch * out, false);
        });
        float[] big = fill(rnd, SimdParams.DROPOUT_PARALLEL_MIN + 101); // on the pool
        kernels.put("dropout", () -> {
            b.dropout().dropoutForward(h, h, batch * out, 0.5f, 7, 1, 0);
            b.dropout().dropoutBackward(dh, dh, batch * out, 0.5f, 7, 1, 0, false);
            b.dropout().dropoutForward(big, big, big.length, 0.2f, 7, 2, 5);
        });
        kernels.put("softmax", () -> {
            b.softmax().softmaxForward(logits, sm, batch, classes, 2f);
            b.softmax().softmaxBackward(sm, target, grad, batch, classes, 2f, false);
            b.softmax().logSoftmaxForward(logits, sm, batch, classes, 2f);
            b.softmax().logSoftmaxBackward(sm, target, grad, batch, classes, 2f, true);
        });
        // 300×250 logits: over SOFTMAX_PARALLEL_MIN, in row chunks on the pool
        int bigRows = 300, bigCols = 250;
        float[] bigLogits = fill(rnd, bigRows * bigCols), bigP = new float[bigRows * bigCols], bigGrad = new float[bigRows * bigCols];
        b.softmax().softmaxForward(fill(rnd, bigRows * bigCols), bigP, bigRows, bigCols, 4f);
        int[] bigLabels = new int[bigRows];
        for (int i = 0; i < bigRows; i++) bigLabels[i] = rnd.nextInt(bigCols);
        kernels.put("cross-entropy", () -> {
            b.softmax().softmaxCrossEntropyHard(logits, labels, grad, batch, classes, 1f, 1f / batch);
            b.softmax().softmaxCrossEntropySoft(logits, target, grad, batch, classes, 20f, 400f / batch);
            b.softmax().softmaxCrossEntropyHard(bigLogits, bigLabels, bigGrad, bigRows, bigCols, 1f, 1f / bigRows);
            b.softmax().softmaxCrossEntropySoft(bigLogits, bigP, bigGrad, bigRows, bigCols, 4f, 1f / bigRows);
        });
        kernels.put("elementwise", () -> {
            b.elementwise().axpy(out * in, 1e-3f, dw, m2);
            b.elementwise().scale(out * in, 0.999f, m2);
            b.elementwise().sum(dw, out * in);
            b.elementwise().sumOfSquares(dw, out * in);
            b.elementwise().sum(db, 7); // shorter than a vector
        });
        kernels.put("optim", () -> {
            b.optim().sgdUpdate(out * in, w, dw, v, 1e-4f, 0.9f, 0f, 1e-5f, true);
            b.optim().adamUpdate(out * in, m2, dw, am, av, 1e-5f, 0.9f, 0.999f, 1e-8f, 0f, 3);
            b.optim().maxNormRows(w, out, in, 3.87f);
        });

        // First train the JIT's profile on rows wider than a vector (as the contract tests do), then
        // measure on 10 classes, narrower than a vector: the loop-skipping paths must not box either.
        float[] wide = fill(rnd, 3 * 1000), wideOut = new float[3 * 1000], wideP = new float[3 * 1000];
        b.softmax().softmaxForward(fill(rnd, 3 * 1000), wideP, 3, 1000, 2f);
        int[] wideLabels = {1, 2, 3};
        for (int i = 0; i < 2000; i++) {
            int cols = i % 2 == 0 ? 1000 : 67;
            b.softmax().softmaxForward(wide, wideOut, 3, cols, 2f);
            b.softmax().softmaxBackward(wideOut, wideP, wideOut, 3, cols, 2f, false);
            b.softmax().logSoftmaxForward(wide, wideOut, 3, cols, 2f);
            b.softmax().logSoftmaxBackward(wideOut, wideP, wideOut, 3, cols, 2f, true);
            b.softmax().softmaxCrossEntropyHard(wide, wideLabels, wideOut, 3, cols, 1f, 1f);
            b.softmax().softmaxCrossEntropySoft(wide, wideP, i % 3 == 0 ? null : wideOut, 3, cols, 20f, 1f);
            b.elementwise().sum(wide, 3 * cols);
            b.elementwise().sumOfSquares(wide, 3 * cols);
        }

        Map<String, Long> last = new LinkedHashMap<>();
        long start = System.nanoTime();
        int round = 0;
        for (; round < MAX_ROUNDS && System.nanoTime() - start < MAX_WARMUP_NANOS; round++) {
            boolean clean = true;
            for (Map.Entry<String, Runnable> e : kernels.entrySet()) {
                long bytes = measure(e.getValue());
                last.put(e.getKey(), bytes);
                if (bytes != 0) clean = false;
            }
            if (clean && round > 0) return;
        }
        fail("bytes allocated per " + CALLS + " calls after " + round + " warm-up rounds (caller + GEMM workers): " + last);
    }

    /** Bytes allocated by CALLS calls of {@code r}, on this thread and on the pool's workers. */
    private long measure(Runnable r) {
        Thread[] workers = SimdBackend.workerThreads();
        long[] ids = new long[workers.length];
        for (int i = 0; i < workers.length; i++) ids[i] = workers[i].getId();
        long[] w0 = mx.getThreadAllocatedBytes(ids);
        long c0 = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) r.run();
        long c1 = mx.getCurrentThreadAllocatedBytes();
        long[] w1 = mx.getThreadAllocatedBytes(ids);
        long total = c1 - c0;
        for (int i = 0; i < ids.length; i++) total += w1[i] - w0[i];
        return total;
    }

    private static float[] fill(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian() * 0.1f;
        return a;
    }
}
