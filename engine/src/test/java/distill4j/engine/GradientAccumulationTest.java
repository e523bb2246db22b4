package distill4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.engine.AllBackends.BackendTest;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.loss.Losses;
import distill4j.engine.nn.Init;
import distill4j.engine.nn.Linear;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Parameter;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.Adam;
import distill4j.engine.optim.MaxNorm;
import distill4j.engine.optim.Optimizer;
import distill4j.engine.optim.SGD;
import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
import distill4j.kernels.ScalarBackend;
import distill4j.kernels.device.DeviceKernels;
import distill4j.kernels.dropout.DropoutKernels;
import distill4j.kernels.elementwise.ElementwiseKernels;
import distill4j.kernels.gemm.GemmKernels;
import distill4j.kernels.optim.OptimKernels;
import distill4j.kernels.simd.SimdBackend;
import distill4j.kernels.softmax.SoftmaxKernels;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gradients are written, not zero-filled and then added to: {@link Tensor#zeroGrad()} only marks a
 * gradient zero and the first backward rule of a pass overwrites it. These tests pin what that must
 * not change — accumulation across passes, the sum for a tensor used twice, zeros for a parameter the
 * pass did not reach and for a read between zeroGrad and backward — and that a training step now runs
 * without a single zero fill of a gradient.
 */
class GradientAccumulationTest {
    static final long SEED = 20261207L;
    /**
     * A second pass adds its gradient to the first inside the kernels (GEMM blocks, float64 sums), not
     * as one doubling, and a tensor's two uses add in their order: a few float32 roundings apart.
     */
    static final double SUM_ATOL = 1e-6, SUM_RTOL = 1e-5;
    /** Fills of at least this many floats count as a pass over a gradient (a loss's one-value seed does not). */
    static final int BIG_FILL = 1000;

    // ------------------------------------------------------------------ accumulation semantics

    @BackendTest
    void twoPassesAddUpAndZeroGradStartsAgain(Backend backend) {
        SplittableRandom rng = new SplittableRandom(SEED);
        Linear lin = new Linear(7, 5, true, Init.heUniform(), Init.zeros(), new SplittableRandom(SEED + 1));
        Tensor x = GradCheck.tensor(GradCheck.uniform(rng, 3 * 7, -1, 1), 3, 7);
        int[] labels = {0, 3, 4};

        float[][] once = gradsAfter(lin, x, labels, 1);
        float[][] twice = gradsAfter(lin, x, labels, 2);
        for (int i = 0; i < once.length; i++) assertClose("2 passes = 2× (param " + i + ", seed " + SEED + ")", twice[i], scaled(once[i], 2f));

        lin.zeroGrad();
        for (Parameter p : lin.parameters()) assertArrayEquals(new float[p.numel()], p.grad().data(), "grad() after zeroGrad reads zeros");
        Losses.crossEntropy(lin.forward(x), labels).backward();
        for (int i = 0; i < once.length; i++) {
            assertArrayEquals(once[i], lin.parameters().get(i).grad().data(), "zeroGrad then one pass = 1× (param " + i + ")");
        }
    }

    @BackendTest
    void zeroGradWithoutAReadThenOnePassGivesOnce(Backend backend) {
        SplittableRandom rng = new SplittableRandom(SEED + 2);
        Linear lin = new Linear(6, 4, true, Init.heUniform(), Init.zeros(), new SplittableRandom(SEED + 3));
        Tensor x = GradCheck.tensor(GradCheck.uniform(rng, 5 * 6, -1, 1), 5, 6);
        int[] labels = {0, 1, 2, 3, 0};
        float[][] once = gradsAfter(lin, x, labels, 1);
        Losses.crossEntropy(lin.forward(x), labels).backward();
        Losses.crossEntropy(lin.forward(x), labels).backward(); // three passes' worth in the buffers now
        lin.zeroGrad();                                         // no read before the next pass: the stale values stay
        Losses.crossEntropy(lin.forward(x), labels).backward();
        for (int i = 0; i < once.length; i++) {
            assertArrayEquals(once[i], lin.parameters().get(i).grad().data(), "the pass overwrote the stale gradient (param " + i + ")");
        }
    }

    @BackendTest
    void aLinearAppliedTwiceGetsTheSumOfBothUses(Backend backend) {
        SplittableRandom rng = new SplittableRandom(SEED + 4);
        Linear tied = new Linear(6, 6, true, Init.heUniform(), Init.uniform(0.5), new SplittableRandom(SEED + 5));
        // the same weights as two separate layers: inner and outer use
        Linear inner = new Linear(6, 6, true, Init.zeros(), Init.zeros(), new SplittableRandom(SEED));
        Linear outer = new Linear(6, 6, true, Init.zeros(), Init.zeros(), new SplittableRandom(SEED));
        for (Linear copy : List.of(inner, outer)) {
            copy.weight.set(tied.weight.toArray());
            copy.bias.set(tied.bias.toArray());
        }
        Tensor x = GradCheck.tensor(GradCheck.uniform(rng, 4 * 6, -1, 1), 4, 6);
        int[] labels = {5, 0, 2, 1};

        tied.zeroGrad();
        Losses.crossEntropy(tied.forward(tied.forward(x).relu()), labels).backward();
        Losses.crossEntropy(outer.forward(inner.forward(x).relu()), labels).backward();
        assertClose("tied weight = inner + outer (seed " + SEED + ")", tied.weight.grad().data(),
                sum(inner.weight.grad().data(), outer.weight.grad().data()));
        assertClose("tied bias = inner + outer (seed " + SEED + ")", tied.bias.grad().data(),
                sum(inner.bias.grad().data(), outer.bias.grad().data()));
    }

    @BackendTest
    void anInputUsedByTwoOpsGetsTheSum(Backend backend) {
        Tensor x = Tensor.of(new float[] {1.5f, -2f, 0.25f, -0.5f}, 2, 2).requiresGrad(true);
        // d/dx [Σ relu(x) + Σ 3x] = [x > 0] + 3, each term exact in float
        x.relu().sum().add(x.mul(3f).sum()).backward();
        assertArrayEquals(new float[] {4, 3, 4, 3}, x.grad().data());
        // an intermediate used twice, inside a workspace whose pooled arrays hold an earlier step's values
        Tensor w = Tensor.of(new float[] {1, -1, 2, 0.5f}, 2, 2).requiresGrad(true);
        Workspace ws = new Workspace();
        for (int step = 0; step < 3; step++) {
            w.zeroGrad();
            try (Workspace.Scope s = ws.open()) {
                Tensor h = s.copyOf(new float[] {1, 2, -3, 4}, 2, 2).matmul(w);
                h.relu().add(h.mul(2f)).sum().backward();
            }
            // dh = [h > 0] + 2; dw = xᵀ · dh with h = [[3, 0], [5, 5]]: dh = [[3, 2], [3, 3]]
            assertArrayEquals(new float[] {-6, -7, 18, 16}, w.grad().data(), "step " + step);
        }
    }

    @BackendTest
    void aParameterThePassMissedReadsZerosAndTheOptimizerSeesZeros(Backend backend) {
        SplittableRandom rng = new SplittableRandom(SEED + 6);
        Linear used = new Linear(4, 3, true, Init.heUniform(), Init.zeros(), new SplittableRandom(SEED + 7));
        Linear unused = new Linear(4, 3, true, Init.heUniform(), Init.uniform(0.5), new SplittableRandom(SEED + 8));
        Tensor x = GradCheck.tensor(GradCheck.uniform(rng, 2 * 4, -1, 1), 2, 4);
        int[] labels = {1, 2};
        float mu = 0.9f;
        SGD sgd = new SGD(List.of(used.weight, used.bias, unused.weight, unused.bias), 0.1).momentum(mu);

        // step 1 reaches both layers
        sgd.zeroGrad();
        Losses.crossEntropy(used.forward(x).add(unused.forward(x)), labels).backward();
        sgd.step();
        float[] v1 = sgd.state().get("2.momentum_buffer").clone();
        float[] w1 = unused.weight.toArray();
        // step 2 reaches only `used`: `unused` keeps its stale buffer, marked zero, unread until the optimizer
        sgd.zeroGrad();
        Losses.crossEntropy(used.forward(x), labels).backward();
        sgd.step();
        float[] v2 = sgd.state().get("2.momentum_buffer");
        float[] w2 = unused.weight.toArray();
        for (int i = 0; i < v1.length; i++) {
            float v = mu * v1[i]; // v = μ·v + 0
            assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(v2[i]), "momentum of the unused weight at " + i);
            assertEquals(Float.floatToRawIntBits(w1[i] - 0.1f * v), Float.floatToRawIntBits(w2[i]), "unused weight at " + i);
        }
        assertArrayEquals(new float[unused.weight.numel()], unused.weight.grad().data(), "an unused parameter reads zeros");
        assertArrayEquals(new float[unused.bias.numel()], unused.bias.grad().data(), "an unused parameter reads zeros");
    }

    @Test
    void aGradientKeepsItsFirstPassValueWhenTheSecondPassWritesNothing() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {3, 4}, 2).requiresGrad(true);
        a.mul(b).sum().backward();
        assertArrayEquals(new float[] {3, 4}, a.grad().data());
        a.zeroGrad();
        b.zeroGrad();
        b.mul(2f).sum().backward(); // a is not in this graph
        assertArrayEquals(new float[] {0, 0}, a.grad().data());
        assertArrayEquals(new float[] {2, 2}, b.grad().data());
    }

    // ------------------------------------------------------------------ no zero fill in a training step

    @Test
    void aScalarTrainingStepFillsNoGradient() {
        assertNoBigFills("scalar", new ScalarBackend(), false);
    }

    @Test
    void aSimdTrainingStepOnTwoThreadsFillsNoGradient() {
        SimdBackend.setThreads(2);
        try {
            assertNoBigFills("simd", new SimdBackend(), false);
        } finally {
            SimdBackend.setThreads(1);
        }
    }

    @Test
    void anAdamTrainingStepFillsNoGradient() {
        assertNoBigFills("scalar", new ScalarBackend(), true);
    }

    /**
     * Steady-state steps of an MLP with dropout, DistillationLoss and max-norm inside a Workspace, on a
     * backend that counts fills: none of a parameter's or an intermediate result's size.
     */
    private static void assertNoBigFills(String name, Backend inner, boolean adam) {
        CountingBackend counting = new CountingBackend(inner);
        Backend previous = Backends.setDefault(counting);
        try {
            int[] dims = {64, 96, 96, 10};
            int batch = 32; // hidden activations 32 × 96 = 3,072 floats, weights up to 9,216
            Sequential student = MLP.of(dims).dropout(0.2, 0.5).init(Init.heUniform()).seed(SEED).build();
            student.train();
            Optimizer opt = adam ? new Adam(student.parameters(), 1e-3) : new SGD(student.parameters(), 0.05).momentum(0.9);
            opt.constrain(MaxNorm.onHiddenLayers(student, 2.0));
            DistillationLoss loss = new DistillationLoss(0.9, 4);
            SplittableRandom rng = new SplittableRandom(SEED);
            float[] x = new float[batch * dims[0]], teacher = new float[batch * dims[3]];
            for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
            for (int i = 0; i < teacher.length; i++) teacher[i] = (float) (rng.nextGaussian() * 3);
            int[] labels = new int[batch];
            for (int r = 0; r < batch; r++) labels[r] = rng.nextInt(dims[3]);
            Tensor soft = loss.softTargets(Tensor.of(teacher, batch, dims[3]));
            Workspace ws = new Workspace();
            float last = Float.NaN;
            for (int step = 0; step < 5; step++) {
                if (step == 2) counting.bigFills = 0; // steps 0 and 1 make the gradient buffers
                try (Workspace.Scope s = ws.open()) {
                    opt.zeroGrad();
                    Tensor l = loss.compute(student.forward(s.copyOf(x, batch, dims[0])), soft, labels);
                    l.backward();
                    opt.step();
                    last = l.item();
                }
            }
            assertEquals(0, counting.bigFills, name + (adam ? " Adam" : " SGD")
                    + ": fills of ≥ " + BIG_FILL + " floats in 3 steady-state steps (seed " + SEED + ")");
            assertNotNull(student.parameters().get(0).grad());
            if (!Float.isFinite(last)) fail("the loss went non-finite: " + last);
        } finally {
            Backends.setDefault(previous);
        }
    }

    /** A backend that forwards every kernel to {@code inner} and counts the element-wise fills of ≥ BIG_FILL floats. */
    static final class CountingBackend implements Backend {
        final Backend inner;
        final ElementwiseKernels elementwise;
        int bigFills;

        CountingBackend(Backend inner) {
            this.inner = inner;
            ElementwiseKernels e = inner.elementwise();
            this.elementwise = new ElementwiseKernels() {
                @Override public void biasAddForward(float[] y, float[] bias, int rows, int cols) { e.biasAddForward(y, bias, rows, cols); }
                @Override public void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate) {
                    e.biasBackward(dy, db, rows, cols, accumulate);
                }
                @Override public void reluForward(float[] x, float[] y, int n) { e.reluForward(x, y, n); }
                @Override public void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
                    e.reluBackward(y, dy, dx, n, accumulate);
                }
                @Override public void axpy(int n, float a, float[] x, float[] y) { e.axpy(n, a, x, y); }
                @Override public void scale(int n, float a, float[] x) { e.scale(n, a, x); }
                @Override public void fill(int n, float value, float[] x) {
                    if (n >= BIG_FILL) bigFills++;
                    e.fill(n, value, x);
                }
                @Override public double sum(float[] x, int n) { return e.sum(x, n); }
                @Override public double sumOfSquares(float[] x, int n) { return e.sumOfSquares(x, n); }
            };
        }

        @Override public String name() { return "counting-" + inner.name(); }
        @Override public GemmKernels gemm() { return inner.gemm(); }
        @Override public SoftmaxKernels softmax() { return inner.softmax(); }
        @Override public DropoutKernels dropout() { return inner.dropout(); }
        @Override public ElementwiseKernels elementwise() { return elementwise; }
        @Override public OptimKernels optim() { return inner.optim(); }
        @Override public DeviceKernels deviceKernels() { return null; }
    }

    // ------------------------------------------------------------------ helpers

    /** The parameters' gradients after `passes` backward passes from zero (a fresh zeroGrad first). */
    private static float[][] gradsAfter(Linear lin, Tensor x, int[] labels, int passes) {
        lin.zeroGrad();
        for (int p = 0; p < passes; p++) Losses.crossEntropy(lin.forward(x), labels).backward();
        List<Parameter> ps = lin.parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < out.length; i++) out[i] = ps.get(i).grad().toArray();
        return out;
    }

    private static float[] scaled(float[] a, float s) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = s * a[i];
        return out;
    }

    private static float[] sum(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] + b[i];
        return out;
    }

    private static void assertClose(String what, float[] got, float[] expected) {
        assertEquals(expected.length, got.length, what + ": length");
        for (int i = 0; i < got.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= SUM_ATOL + SUM_RTOL * Math.abs(expected[i]))) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + expected[i]);
            }
        }
    }
}
