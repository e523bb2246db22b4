package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.kernels.Backend;
import distill4j.kernels.gemm.GemmLayout;
import distill4j.kernels.ScalarBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backend test table: every Backend method of {@link CudaBackend} against {@link ScalarBackend}
 * (the oracle) on random inputs of many shapes (1, odd sizes, tile tails, empty) and extreme values.
 * Runs on the stand-in driver in every build (host-emulated kernels through the real JCuda call path)
 * and on a GPU with cuda/gpu-check.sh. Each case names its seed.
 */
class DeviceBackendTableTest {
    // Named tolerances: |gpu − ref| ≤ ATOL + RTOL·|ref|
    /** float32 results of float32 arithmetic compared with a float64-accumulated reference. */
    static final float RTOL = 1e-5f;
    static final float ATOL = 1e-6f;
    /** GEMM: a float32 dot product of length k drifts by about k·ε·Σ|a·b| from the float64 reference. */
    static final float GEMM_ATOL_PER_K = 2e-6f;
    /** Losses are float64 sums of per-row float32 values. */
    static final double LOSS_RTOL = 1e-5;

    static Backend gpu;
    static final Backend ref = new ScalarBackend();

    @BeforeAll
    static void open() {
        gpu = new CudaBackend(DeviceTests.device());
    }

    static float[] uniform(SplittableRandom r, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * (float) r.nextDouble();
        return a;
    }

    static void assertClose(String what, float[] ref, float[] got, int n, float atol, float rtol) {
        for (int i = 0; i < n; i++) {
            float tol = atol + rtol * Math.abs(ref[i]);
            if (!(Math.abs(ref[i] - got[i]) <= tol) && !(Float.isNaN(ref[i]) && Float.isNaN(got[i]))) {
                fail(what + ": element " + i + " expected " + ref[i] + " got " + got[i] + " (tolerance " + tol + ")");
            }
        }
    }

    static void assertBitIdentical(String what, float[] ref, float[] got) {
        for (int i = 0; i < ref.length; i++) {
            if (Float.floatToRawIntBits(ref[i]) != Float.floatToRawIntBits(got[i])) {
                fail(what + ": element " + i + " expected " + ref[i] + " got " + got[i] + " (must be bit-identical)");
            }
        }
    }

    // ---------------------------------------------------------------- GEMM

    static Stream<Arguments> gemmCases() {
        int[][] shapes = {
            {1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {3, 4, 0}, {0, 5, 3}, {4, 0, 3},
            {17, 33, 65}, {64, 64, 16}, {65, 63, 17}, {130, 70, 33}, {2, 129, 5}, {100, 10, 784 / 8},
        };
        List<Arguments> cases = new ArrayList<>();
        long seed = 1000;
        for (GemmLayout layout : GemmLayout.values()) {
            for (int[] s : shapes) {
                for (boolean acc : new boolean[] {false, true}) cases.add(Arguments.of(layout, s[0], s[1], s[2], acc, seed++));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} acc={4} seed={5}")
    @MethodSource("gemmCases")
    void gemm(GemmLayout layout, int m, int n, int k, boolean accumulate, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = uniform(r, m * k, -1, 1), b = uniform(r, k * n, -1, 1);
        float[] c0 = uniform(r, m * n, -1, 1);
        float[] want = c0.clone(), got = c0.clone();
        ref.gemm().gemm(layout, m, n, k, a, b, want, accumulate);
        gpu.gemm().gemm(layout, m, n, k, a, b, got, accumulate);
        assertClose("gemm " + layout + " seed " + seed, want, got, m * n, ATOL + GEMM_ATOL_PER_K * k, RTOL);
    }

    @Test
    void gemmRejectsShortArraysAndAliasing() {
        float[] a = new float[6], b = new float[6], c = new float[3];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gpu.gemm().gemm(GemmLayout.NN, 2, 2, 3, a, b, c, false));
        assertTrue(e.getMessage().contains("gemm NN") && e.getMessage().contains("C 3 (needs 4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpu.gemm().gemm(GemmLayout.NN, 2, 2, 2, a, b, a, false));
    }

    // ---------------------------------------------------------------- bias, ReLU, dropout

    static Stream<Arguments> rowsCols() {
        int[][] shapes = {{1, 1}, {1, 10}, {3, 7}, {32, 10}, {7, 257}, {2, 1000}, {129, 3}, {0, 5}};
        List<Arguments> cases = new ArrayList<>();
        long seed = 2000;
        for (int[] s : shapes) cases.add(Arguments.of(s[0], s[1], seed++));
        return cases.stream();
    }

    @ParameterizedTest(name = "rows={0} cols={1} seed={2}")
    @MethodSource("rowsCols")
    void biasForwardAndBackward(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] y = uniform(r, rows * cols, -2, 2), bias = uniform(r, cols, -1, 1);
        float[] want = y.clone(), got = y.clone();
        ref.elementwise().biasAddForward(want, bias, rows, cols);
        gpu.elementwise().biasAddForward(got, bias, rows, cols);
        assertClose("biasAddForward seed " + seed, want, got, rows * cols, 0f, 0f);
        for (boolean acc : new boolean[] {false, true}) {
            float[] db0 = uniform(r, cols, -1, 1);
            float[] dbWant = db0.clone(), dbGot = db0.clone();
            ref.elementwise().biasBackward(y, dbWant, rows, cols, acc);
            gpu.elementwise().biasBackward(y, dbGot, rows, cols, acc);
            assertClose("biasBackward acc=" + acc + " seed " + seed, dbWant, dbGot, cols, ATOL, RTOL);
        }
    }

    static Stream<Arguments> lengths() {
        int[] ns = {0, 1, 3, 4, 5, 255, 256, 257, 1000, 4099, 70_001};
        List<Arguments> cases = new ArrayList<>();
        long seed = 3000;
        for (int n : ns) cases.add(Arguments.of(n, seed++));
        return cases.stream();
    }

    @ParameterizedTest(name = "n={0} seed={1}")
    @MethodSource("lengths")
    void reluForwardBackwardInPlaceAndAccumulating(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = uniform(r, n, -1, 1);
        float[] yWant = new float[n], yGot = new float[n];
        ref.elementwise().reluForward(x, yWant, n);
        gpu.elementwise().reluForward(x, yGot, n);
        assertBitIdentical("reluForward seed " + seed, yWant, yGot);
        float[] inPlace = x.clone();
        gpu.elementwise().reluForward(inPlace, inPlace, n);
        assertBitIdentical("reluForward in place seed " + seed, yWant, inPlace);

        float[] dy = uniform(r, n, -1, 1);
        float[] dx0 = uniform(r, n, -1, 1);
        for (boolean acc : new boolean[] {false, true}) {
            float[] want = dx0.clone(), got = dx0.clone();
            ref.elementwise().reluBackward(yWant, dy, want, n, acc);
            gpu.elementwise().reluBackward(yWant, dy, got, n, acc);
            assertBitIdentical("reluBackward acc=" + acc + " seed " + seed, want, got);
        }
        float[] dyInPlace = dy.clone(), want = new float[n];
        ref.elementwise().reluBackward(yWant, dy, want, n, false);
        gpu.elementwise().reluBackward(yWant, dyInPlace, dyInPlace, n, false);
        assertBitIdentical("reluBackward dx = dy seed " + seed, want, dyInPlace);
    }

    static Stream<Arguments> dropoutCases() {
        List<Arguments> cases = new ArrayList<>();
        long seed = 4000;
        int[] ns = {1, 3, 4, 7, 1000, 4099, 70_001};
        float[] ps = {0f, 0.2f, 0.5f, 0.9f};
        long[] bases = {0, 1, 2, 3, 5, (1L << 32) - 3, (1L << 40) + 1};
        int i = 0;
        for (int n : ns) {
            for (float p : ps) {
                long base = bases[i++ % bases.length];
                cases.add(Arguments.of(n, p, 0x1234_5678_9ABC_DEF0L ^ seed, (long) i * 7919 + ((long) i << 33), base, seed++));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "n={0} p={1} seed={2} step={3} base={4}")
    @MethodSource("dropoutCases")
    void dropoutMasksAreBitIdenticalToTheCpu(int n, float p, long philoxSeed, long step, long base, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = uniform(r, n, -3, 3);
        float[] want = new float[n], got = new float[n];
        ref.dropout().dropoutForward(x, want, n, p, philoxSeed, step, base);
        gpu.dropout().dropoutForward(x, got, n, p, philoxSeed, step, base);
        assertBitIdentical("dropoutForward case seed " + seed, want, got);
        float[] inPlace = x.clone();
        gpu.dropout().dropoutForward(inPlace, inPlace, n, p, philoxSeed, step, base);
        assertBitIdentical("dropoutForward in place case seed " + seed, want, inPlace);

        float[] dy = uniform(r, n, -1, 1), dx0 = uniform(r, n, -1, 1);
        for (boolean acc : new boolean[] {false, true}) {
            float[] w = dx0.clone(), g = dx0.clone();
            ref.dropout().dropoutBackward(dy, w, n, p, philoxSeed, step, base, acc);
            gpu.dropout().dropoutBackward(dy, g, n, p, philoxSeed, step, base, acc);
            assertBitIdentical("dropoutBackward acc=" + acc + " case seed " + seed, w, g);
        }
    }

    @Test
    void dropoutRejectsBadProbabilityLikeTheCpu() {
        float[] x = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gpu.dropout().dropoutForward(x, x, 4, 1f, 1, 1, 0));
        assertTrue(e.getMessage().contains("[0, 1)") && e.getMessage().contains("1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gpu.dropout().dropoutBackward(x, x, 4, Float.NaN, 1, 1, 0, false));
    }

    // ---------------------------------------------------------------- softmax family

    static Stream<Arguments> softmaxCases() {
        int[][] shapes = {{1, 1}, {1, 10}, {3, 7}, {32, 10}, {5, 129}, {2, 1000}, {64, 33}};
        float[] temperatures = {1f, 0.05f, 2.5f, 20f, 100f};
        float[] scales = {1f, 30f, 1e4f};
        List<Arguments> cases = new ArrayList<>();
        long seed = 5000;
        int i = 0;
        for (int[] s : shapes) {
            for (float t : temperatures) cases.add(Arguments.of(s[0], s[1], t, scales[i++ % scales.length], seed++));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "rows={0} cols={1} T={2} |z|<{3} seed={4}")
    @MethodSource("softmaxCases")
    void softmaxAndLogSoftmaxForwardBackward(int rows, int cols, float t, float mag, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = rows * cols;
        float[] x = uniform(r, n, -mag, mag);
        String tag = " rows=" + rows + " cols=" + cols + " T=" + t + " seed " + seed;

        float[] yWant = new float[n], yGot = new float[n];
        ref.softmax().softmaxForward(x, yWant, rows, cols, t);
        gpu.softmax().softmaxForward(x, yGot, rows, cols, t);
        assertClose("softmaxForward" + tag, yWant, yGot, n, ATOL, RTOL);
        float[] inPlace = x.clone();
        gpu.softmax().softmaxForward(inPlace, inPlace, rows, cols, t);
        assertClose("softmaxForward in place" + tag, yWant, inPlace, n, ATOL, RTOL);

        float[] lWant = new float[n], lGot = new float[n];
        ref.softmax().logSoftmaxForward(x, lWant, rows, cols, t);
        gpu.softmax().logSoftmaxForward(x, lGot, rows, cols, t);
        assertClose("logSoftmaxForward" + tag, lWant, lGot, n, ATOL, RTOL);

        float[] dy = uniform(r, n, -1, 1), dx0 = uniform(r, n, -1, 1);
        for (boolean acc : new boolean[] {false, true}) {
            float[] w = dx0.clone(), g = dx0.clone();
            ref.softmax().softmaxBackward(yWant, dy, w, rows, cols, t, acc);
            gpu.softmax().softmaxBackward(yWant, dy, g, rows, cols, t, acc);
            // the gradient scales with 1/T: tolerances relative to the row's scale
            assertClose("softmaxBackward acc=" + acc + tag, w, g, n, ATOL / Math.min(t, 1f), RTOL);
            w = dx0.clone();
            g = dx0.clone();
            ref.softmax().logSoftmaxBackward(lWant, dy, w, rows, cols, t, acc);
            gpu.softmax().logSoftmaxBackward(lWant, dy, g, rows, cols, t, acc);
            assertClose("logSoftmaxBackward acc=" + acc + tag, w, g, n, ATOL / Math.min(t, 1f), RTOL);
        }
    }

    @ParameterizedTest(name = "rows={0} cols={1} T={2} |z|<{3} seed={4}")
    @MethodSource("softmaxCases")
    void fusedCrossEntropyHardAndSoft(int rows, int cols, float t, float mag, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = rows * cols;
        float[] z = uniform(r, n, -mag, mag);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) labels[i] = r.nextInt(cols);
        float gradScale = 1f / rows * (float) (1 + r.nextDouble());
        String tag = " rows=" + rows + " cols=" + cols + " T=" + t + " seed " + seed;

        float[] gWant = new float[n], gGot = new float[n];
        double lWant = ref.softmax().softmaxCrossEntropyHard(z, labels, gWant, rows, cols, t, gradScale);
        double lGot = gpu.softmax().softmaxCrossEntropyHard(z, labels, gGot, rows, cols, t, gradScale);
        assertEquals(lWant, lGot, 1e-5 * rows + LOSS_RTOL * Math.abs(lWant), "hard loss" + tag);
        assertClose("hard grad" + tag, gWant, gGot, n, ATOL * gradScale / Math.min(t, 1f), RTOL);
        assertEquals(lWant, gpu.softmax().softmaxCrossEntropyHard(z, labels, null, rows, cols, t, gradScale),
                1e-5 * rows + LOSS_RTOL * Math.abs(lWant), "hard loss without grad" + tag);

        // soft targets: a teacher's softmax at the same T, with some exact zeros
        float[] teacher = uniform(r, n, -5, 5);
        float[] p = new float[n];
        ref.softmax().softmaxForward(teacher, p, rows, cols, t);
        for (int i = 0; i < n; i += 3) p[i] = 0f;
        lWant = ref.softmax().softmaxCrossEntropySoft(z, p, gWant, rows, cols, t, gradScale);
        lGot = gpu.softmax().softmaxCrossEntropySoft(z, p, gGot, rows, cols, t, gradScale);
        assertEquals(lWant, lGot, 1e-5 * rows + LOSS_RTOL * Math.abs(lWant), "soft loss" + tag);
        assertClose("soft grad" + tag, gWant, gGot, n, ATOL * gradScale / Math.min(t, 1f), RTOL);
    }

    @Test
    void crossEntropyRejectsOutOfRangeLabels() {
        float[] z = new float[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gpu.softmax().softmaxCrossEntropyHard(z, new int[] {0, 3}, null, 2, 3, 1f, 1f));
        assertTrue(e.getMessage().contains("label 3 of row 1"), e.getMessage());
    }

    // ---------------------------------------------------------------- elementwise, reductions, optimizers

    @ParameterizedTest(name = "n={0} seed={1}")
    @MethodSource("lengths")
    void axpyScaleAndSums(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = uniform(r, n, -1, 1), y = uniform(r, n, -1, 1);
        float[] want = y.clone(), got = y.clone();
        ref.elementwise().axpy(n, 0.37f, x, want);
        gpu.elementwise().axpy(n, 0.37f, x, got);
        // a device may contract a·x + y into one fma: one rounding apart
        assertClose("axpy seed " + seed, want, got, n, ATOL, RTOL);
        ref.elementwise().scale(n, -1.7f, want);
        gpu.elementwise().scale(n, -1.7f, got);
        assertClose("scale seed " + seed, want, got, n, ATOL, RTOL);
        double s = ref.elementwise().sum(x, n), sq = ref.elementwise().sumOfSquares(x, n);
        assertEquals(s, gpu.elementwise().sum(x, n), 1e-9 * (1 + n), "sum seed " + seed);
        assertEquals(sq, gpu.elementwise().sumOfSquares(x, n), 1e-9 * (1 + n), "sumOfSquares seed " + seed);
    }

    @ParameterizedTest(name = "n={0} seed={1}")
    @MethodSource("lengths")
    void sgdAndAdamUpdates(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = uniform(r, n, -1, 1), g = uniform(r, n, -1, 1), v = uniform(r, n, -0.1f, 0.1f);
        for (boolean nesterov : new boolean[] {false, true}) {
            float[] w1 = w.clone(), v1 = v.clone(), w2 = w.clone(), v2 = v.clone();
            ref.optim().sgdUpdate(n, w1, g, v1, 0.05f, 0.9f, 0.1f, 1e-3f, nesterov);
            gpu.optim().sgdUpdate(n, w2, g, v2, 0.05f, 0.9f, 0.1f, 1e-3f, nesterov);
            assertClose("sgd w nesterov=" + nesterov + " seed " + seed, w1, w2, n, ATOL, RTOL);
            assertClose("sgd v nesterov=" + nesterov + " seed " + seed, v1, v2, n, ATOL, RTOL);
        }
        float[] w1 = w.clone(), w2 = w.clone();
        ref.optim().sgdUpdate(n, w1, g, null, 0.1f, 0f, 0f, 0f, false);
        gpu.optim().sgdUpdate(n, w2, g, null, 0.1f, 0f, 0f, 0f, false);
        assertClose("sgd without velocity seed " + seed, w1, w2, n, ATOL, RTOL);

        float[] m = uniform(r, n, -0.1f, 0.1f), vv = uniform(r, n, 0f, 0.01f);
        float[] wa = w.clone(), ma = m.clone(), va = vv.clone(), wb = w.clone(), mb = m.clone(), vb = vv.clone();
        for (long t = 1; t <= 3; t++) {
            ref.optim().adamUpdate(n, wa, g, ma, va, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, t);
            gpu.optim().adamUpdate(n, wb, g, mb, vb, 1e-3f, 0.9f, 0.999f, 1e-8f, 1e-4f, t);
        }
        assertClose("adam w seed " + seed, wa, wb, n, ATOL, RTOL);
        assertClose("adam m seed " + seed, ma, mb, n, ATOL, RTOL);
        assertClose("adam v seed " + seed, va, vb, n, ATOL, RTOL);
    }

    @ParameterizedTest(name = "rows={0} cols={1} seed={2}")
    @MethodSource("rowsCols")
    void maxNormRows(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = uniform(r, rows * cols, -1, 1);
        // every other row well inside the ball: it must stay untouched
        for (int row = 0; row < rows; row += 2) {
            for (int j = 0; j < cols; j++) w[row * cols + j] *= 1e-3f;
        }
        float maxNorm = (float) Math.sqrt(cols) * 0.4f;
        float[] want = w.clone(), got = w.clone();
        ref.optim().maxNormRows(want, rows, cols, maxNorm);
        gpu.optim().maxNormRows(got, rows, cols, maxNorm);
        assertClose("maxNormRows seed " + seed, want, got, rows * cols, ATOL, RTOL);
    }
}
