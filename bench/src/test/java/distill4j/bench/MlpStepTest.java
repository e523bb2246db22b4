package distill4j.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.kernels.Backend;
import distill4j.kernels.dropout.Philox;
import distill4j.kernels.ScalarBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/**
 * The benchmarked training step computes the gradient of the loss it claims: analytic float32 gradients
 * of {@link MlpStep} (with dropout on, same Philox masks) against central differences of a float64
 * re-implementation of the forward pass and distillation loss written here from the formulas.
 */
class MlpStepTest {
    /** float32 backprop vs float64 central differences: |g − fd| ≤ ATOL + RTOL·|fd|. */
    static final double ATOL = 2e-5, RTOL = 2e-3;
    static final double EPS = 1e-6;

    static final int[] DIMS = {7, 6, 5, 4};
    static final int BATCH = 3;
    static final float P_IN = 0.2f, P_HIDDEN = 0.5f, T = 2.5f, ALPHA = 0.7f;
    static final long SEED = 77;

    float[] x, soft;
    int[] labels;

    void data(long seed) {
        MlpStep.Batch data = MlpStep.Batch.random(DIMS, BATCH, T, 2, seed);
        x = data.x();
        labels = data.labels();
        soft = data.soft();
    }

    /** The loss of MlpStep's class Javadoc in float64, weights given as float64, dropout masks from Philox. */
    static double referenceLoss(double[][] w, double[][] b, float[] x, float[] soft, int[] labels, long step) {
        int layers = DIMS.length - 1;
        double[] in = new double[BATCH * DIMS[0]];
        for (int i = 0; i < in.length; i++) in[i] = dropout(x[i], P_IN, SEED, step, i);
        double[] h = null;
        for (int l = 0; l < layers; l++) {
            int din = DIMS[l], dout = DIMS[l + 1];
            h = new double[BATCH * dout];
            for (int r = 0; r < BATCH; r++) {
                for (int o = 0; o < dout; o++) {
                    double s = b[l][o];
                    for (int i = 0; i < din; i++) s += in[r * din + i] * w[l][o * din + i];
                    h[r * dout + o] = s;
                }
            }
            if (l < layers - 1) {
                double[] next = new double[h.length];
                for (int i = 0; i < h.length; i++) next[i] = dropout(Math.max(h[i], 0), P_HIDDEN, SEED + l + 1, step, i);
                in = next;
            }
        }
        int c = DIMS[layers];
        double loss = 0;
        for (int r = 0; r < BATCH; r++) {
            // L = α·T²·CE(p, softmax(z/T)) + (1 − α)·CE(y, softmax(z)), batch mean
            double[] logqT = logSoftmax(h, r * c, c, T), logq1 = logSoftmax(h, r * c, c, 1);
            double ceSoft = 0;
            for (int j = 0; j < c; j++) ceSoft -= soft[r * c + j] * logqT[j];
            loss += ALPHA * T * T * ceSoft - (1 - ALPHA) * logq1[labels[r]];
        }
        return loss / BATCH;
    }

    static double dropout(double v, float p, long seed, long step, long index) {
        return Philox.keep(seed, step, index, p) ? v / (1 - p) : 0;
    }

    static double[] logSoftmax(double[] z, int o, int c, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) max = Math.max(max, z[o + j] / t);
        double sum = 0;
        for (int j = 0; j < c; j++) sum += Math.exp(z[o + j] / t - max);
        double[] out = new double[c];
        for (int j = 0; j < c; j++) out[j] = z[o + j] / t - max - Math.log(sum);
        return out;
    }

    static double[][] toDouble(float[][] a) {
        double[][] d = new double[a.length][];
        for (int l = 0; l < a.length; l++) {
            d[l] = new double[a[l].length];
            for (int i = 0; i < a[l].length; i++) d[l][i] = a[l][i];
        }
        return d;
    }

    void checkGradients(Backend backend) {
        data(3);
        MlpStep net = new MlpStep(backend, DIMS, BATCH, P_IN, P_HIDDEN, T, ALPHA, 0.1f, 0.9f, SEED);
        // make biases non-zero so that their gradients are tested away from the initial point
        SplittableRandom rnd = new SplittableRandom(4);
        for (float[] bl : net.b) for (int i = 0; i < bl.length; i++) bl[i] = (float) (rnd.nextGaussian() * 0.1);
        double loss = net.forwardLoss(x, soft, labels); // step counter 0: the masks of step 0
        net.backward();
        double[][] w = toDouble(net.w), b = toDouble(net.b);
        double ref = referenceLoss(w, b, x, soft, labels, 0);
        if (!(Math.abs(loss - ref) <= 1e-4 * Math.abs(ref) + 1e-6)) {
            fail(backend.name() + ": loss " + loss + ", float64 reference " + ref);
        }
        for (int l = 0; l < net.w.length; l++) {
            compare(backend, "W" + l, net.gw[l], w[l], w, b);
            compare(backend, "b" + l, net.gb[l], b[l], w, b);
        }
    }

    void compare(Backend backend, String what, float[] analytic, double[] param, double[][] w, double[][] b) {
        for (int i = 0; i < param.length; i++) {
            double keep = param[i];
            param[i] = keep + EPS;
            double up = referenceLoss(w, b, x, soft, labels, 0);
            param[i] = keep - EPS;
            double down = referenceLoss(w, b, x, soft, labels, 0);
            param[i] = keep;
            double fd = (up - down) / (2 * EPS);
            if (!(Math.abs(analytic[i] - fd) <= ATOL + RTOL * Math.abs(fd))) {
                fail(backend.name() + ": dL/d" + what + "[" + i + "] = " + analytic[i] + ", central difference " + fd
                        + " (data seed 3, net seed " + SEED + ")");
            }
        }
    }

    @Test
    void gradientsMatchFloat64CentralDifferencesOnEveryBackend() {
        for (String name : Variants.availableBackends()) checkGradients(Variants.backend(name, 1));
    }

    @Test
    void stepsReduceTheLossOnAFixedBatch() {
        data(8);
        // CE(p, q) ≥ H(p): the soft term cannot go below α·T²·H(p), so measure the loss above that floor
        int c = DIMS[DIMS.length - 1];
        double entropy = 0;
        for (int i = 0; i < soft.length; i++) entropy -= soft[i] * Math.log(soft[i]);
        double floor = ALPHA * T * T * entropy / BATCH;
        // deterministic (fixed seeds, scalar kernels): with lr 0.01 the excess loss drops by ~57% in 300 steps
        // (the random hard labels disagree with the teacher, so the excess cannot reach 0)
        MlpStep net = new MlpStep(new ScalarBackend(), DIMS, BATCH, 0f, 0f, T, ALPHA, 0.01f, 0.9f, SEED);
        double first = net.step(x, soft, labels), last = first;
        for (int s = 0; s < 300; s++) last = net.step(x, soft, labels);
        assertTrue(last - floor < 0.7 * (first - floor), "loss went from " + first + " to " + last
                + " in 300 steps; floor α·T²·H(p) = " + floor + " (" + c + " classes)");
    }

    @Test
    void rejectsBadHyperparameters() {
        Backend k = new ScalarBackend();
        assertThrows(IllegalArgumentException.class, () -> new MlpStep(k, DIMS, 2, 0, 0, 0f, 0.5f, 0.1f, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MlpStep(k, DIMS, 2, 0, 0, 1f, 1.5f, 0.1f, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MlpStep(k, new int[] {3}, 2, 0, 0, 1f, 0.5f, 0.1f, 0, 1));
    }
}
