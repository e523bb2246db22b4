package distill4j.engine.loss;

import static distill4j.engine.GradCheck.assertClose;
import static distill4j.engine.GradCheck.tensor;
import static distill4j.engine.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.AllBackends.BackendTest;
import distill4j.engine.Ref64;
import distill4j.engine.Tensor;
import java.util.SplittableRandom;

/** The identities of Hinton, Vinyals &amp; Dean (2015), §2, pinned on the engine's losses. */
class PaperIdentitiesTest {
    private static final long SEED = 42L;
    /** Gradients of a few classes in float32: a few ulps of values ≤ 1. */
    private static final double GRAD_ATOL = 1e-6, GRAD_RTOL = 1e-4;

    private static double[] zeroMeanRows(double[] x, int rows, int cols) {
        double[] y = x.clone();
        for (int r = 0; r < rows; r++) {
            double m = 0;
            for (int j = 0; j < cols; j++) m += y[r * cols + j];
            m /= cols;
            for (int j = 0; j < cols; j++) y[r * cols + j] = (float) (y[r * cols + j] - m);
        }
        return y;
    }

    private static double norm(float[] g) {
        double s = 0;
        for (float v : g) s += (double) v * v;
        return Math.sqrt(s);
    }

    /** ∂C/∂z_i = (1/T)(q_i − p_i), q = softmax(z/T), p = softmax(v/T), per example (SUM). */
    @BackendTest
    void softTargetGradientIsQMinusPOverT() {
        int b = 3, n = 10;
        for (float t : new float[] {1f, 2f, 5f, 20f}) {
            long seed = SEED + (long) t;
            SplittableRandom rng = new SplittableRandom(seed);
            double[] z = uniform(rng, b * n, -3, 3), v = uniform(rng, b * n, -3, 3);
            double[] p = Ref64.softmax(v, b, n, t), q = Ref64.softmax(z, b, n, t);
            Tensor zt = tensor(z, b, n).requiresGrad(true);
            Losses.softCrossEntropy(zt, tensor(p, b, n), t, Reduction.SUM).backward();
            double[] expected = new double[b * n];
            for (int i = 0; i < expected.length; i++) expected[i] = (q[i] - p[i]) / t;
            assertClose("dC/dz at T=" + t + " (seed " + seed + ")", zt.grad().data(), expected, GRAD_ATOL, GRAD_RTOL);

            // the distillation loss multiplies it by α·T² (and 1/B for BATCH_MEAN): the T² factor is in the code
            float alpha = 0.7f;
            Tensor z2 = tensor(z, b, n).requiresGrad(true);
            new DistillationLoss(alpha, t).compute(z2, tensor(p, b, n), new int[b]).backward();
            Tensor z3 = tensor(z, b, n).requiresGrad(true);
            new DistillationLoss(0f, t).compute(z3, tensor(p, b, n), new int[b]).backward();
            double[] softPart = new double[b * n];
            for (int i = 0; i < softPart.length; i++) {
                // total − (1 − α)·hard = α·T²·(1/T)(q − p)/B
                softPart[i] = alpha * t * t * expected[i] / b;
            }
            float[] total = z2.grad().data(), hard = z3.grad().data();
            float[] soft = new float[total.length];
            for (int i = 0; i < soft.length; i++) soft[i] = total[i] - (1 - alpha) * hard[i];
            assertClose("α·T²-weighted soft gradient at T=" + t, soft, softPart, 1e-5, 1e-3);
        }
    }

    /**
     * High-temperature limit: with zero-mean logits, ∂C/∂z_i ≈ (z_i − v_i)/(N·T²); the T²-scaled
     * distillation gradient then equals the logit-matching gradient (z − v) divided by N.
     */
    @BackendTest
    void highTemperatureIsLogitMatching() {
        int b = 4, n = 10;
        SplittableRandom rng = new SplittableRandom(SEED);
        double[] z = zeroMeanRows(uniform(rng, b * n, -3, 3), b, n);
        double[] v = zeroMeanRows(uniform(rng, b * n, -3, 3), b, n);
        double previousError = Double.POSITIVE_INFINITY;
        for (float t : new float[] {10f, 100f, 1000f}) {
            Tensor zt = tensor(z, b, n).requiresGrad(true);
            Losses.softCrossEntropy(zt, tensor(Ref64.softmax(v, b, n, t), b, n), t, Reduction.SUM).backward();
            float[] g = zt.grad().data();
            double diff = 0, ref = 0;
            for (int i = 0; i < g.length; i++) {
                double approx = (z[i] - v[i]) / (n * (double) t * t);
                diff += (g[i] - approx) * (g[i] - approx);
                ref += approx * approx;
            }
            double relError = Math.sqrt(diff / ref);
            // the approximation drops terms of relative order max|z|/T: ≤ 3/T here, with room for float32 at T = 1000
            assertTrue(relError < 3.0 / t + 1e-3, "T=" + t + ": relative distance to (z − v)/(N T²) is " + relError);
            assertTrue(relError < previousError, "T=" + t + ": error " + relError + " did not shrink from " + previousError);
            previousError = relError;
        }
        // T²-scaled distillation gradient vs logit matching / N at T = 1000
        float t = 1000f;
        Tensor zd = tensor(z, b, n).requiresGrad(true);
        new DistillationLoss(1f, t).computeFromTeacherLogits(zd, tensor(v, b, n), null).backward();
        Tensor zl = tensor(z, b, n).requiresGrad(true);
        Losses.logitMatching(zl, tensor(v, b, n), Reduction.BATCH_MEAN).mul(1f / n).backward();
        double[] lm = new double[b * n];
        for (int i = 0; i < lm.length; i++) lm[i] = zl.grad().data()[i];
        assertClose("T²·dC/dz vs logit matching / N at T=1000", zd.grad().data(), lm, 2e-4, 1e-2);
    }

    /** T² keeps the soft gradient's magnitude roughly independent of T; without it, it falls ~1/T². */
    @BackendTest
    void tSquaredScalingKeepsGradientMagnitude() {
        int b = 8, n = 10;
        SplittableRandom rng = new SplittableRandom(SEED + 1);
        double[] z = uniform(rng, b * n, -2, 2), v = uniform(rng, b * n, -2, 2);
        float[] temps = {2f, 5f, 20f};
        double[] scaled = new double[temps.length], unscaled = new double[temps.length];
        for (int k = 0; k < temps.length; k++) {
            float t = temps[k];
            Tensor p = tensor(Ref64.softmax(v, b, n, t), b, n);
            Tensor z1 = tensor(z, b, n).requiresGrad(true);
            new DistillationLoss(1f, t).compute(z1, p, null).backward();
            scaled[k] = norm(z1.grad().data());
            Tensor z2 = tensor(z, b, n).requiresGrad(true);
            Losses.softCrossEntropy(z2, p, t, Reduction.BATCH_MEAN).backward();
            unscaled[k] = norm(z2.grad().data());
        }
        double scaledRatio = max(scaled) / min(scaled), unscaledRatio = max(unscaled) / min(unscaled);
        String report = "scaled norms " + java.util.Arrays.toString(scaled) + ", unscaled " + java.util.Arrays.toString(unscaled);
        // (20/2)² = 100 for the unscaled gradient at high T; the scaled one within a factor 1.5
        assertTrue(scaledRatio < 1.5, "T²-scaled gradient norm varies by " + scaledRatio + ": " + report);
        assertTrue(unscaledRatio > 50, "unscaled gradient norm varies only by " + unscaledRatio + ": " + report);
    }

    /** KL with BATCH_MEAN is Σ_classes per example, averaged over examples, not averaged over elements. */
    @BackendTest
    void klBatchMeanIsThePerExampleDivergence() {
        int b = 5, n = 10;
        float t = 4f;
        SplittableRandom rng = new SplittableRandom(SEED + 2);
        double[] z = uniform(rng, b * n, -3, 3), v = uniform(rng, b * n, -3, 3);
        double[] p = Ref64.softmax(v, b, n, t);
        double expected = Ref64.klSum(z, p, b, n, t) / b;
        float kl = Losses.klDivergence(tensor(z, b, n), tensor(p, b, n), t, Reduction.BATCH_MEAN).item();
        assertClose("KL batch mean", kl, expected, 1e-6, 1e-5);
        // the per-element mean would be N times smaller: make sure the two are told apart
        assertTrue(Math.abs(kl - expected / n) > 0.5 * expected, "KL equals the per-element mean");
        // KL(p ‖ softmax(v/T)) = 0 and KL ≥ 0
        float self = Losses.klDivergence(tensor(v, b, n), tensor(p, b, n), t, Reduction.BATCH_MEAN).item();
        assertClose("KL(p ‖ p)", self, 0.0, 1e-6, 0);
        assertTrue(kl > 0, "KL " + kl + " is not positive");
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) m = Math.max(m, v);
        return m;
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) m = Math.min(m, v);
        return m;
    }
}
