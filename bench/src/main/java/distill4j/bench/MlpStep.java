package distill4j.bench;

import distill4j.kernels.Backend;
import distill4j.kernels.gemm.GemmLayout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One training step of a ReLU MLP student with dropout and the distillation loss, written directly
 * against the {@link Backend} kernels with every buffer allocated once: the floor under what the
 * engine's autograd can reach (no graph, no tensor objects), used by {@link TrainStepBench}.
 *
 * <pre>
 * forward, layer l = 0..L-1 (W_l (d_{l+1}, d_l), b_l (d_{l+1})):
 *   in_0 = dropout(x, pIn)                        x (B, d_0)
 *   h_l  = in_l · W_lᵀ + b_l                      GEMM NT (B, d_{l+1})
 *   a_l  = relu(h_l);  in_{l+1} = dropout(a_l, pHidden)          (hidden layers only)
 * loss (Hinton et al. 2015, §2), z = h_{L-1} the logits, p the teacher's soft targets at T:
 *   L = α·T²·CE(p, softmax(z/T)) + (1 − α)·CE(y, softmax(z)), batch mean
 *   dL/dz = α·T²·(1/T)(q_T − p)/B + (1 − α)(q_1 − onehot(y))/B
 * backward, l = L-1..0:
 *   dW_l = dh_lᵀ · in_l                           GEMM TN (d_{l+1}, d_l)
 *   db_l = Σ_rows dh_l
 *   d in_l = dh_l · W_l                           GEMM NN (B, d_l)      (not for l = 0)
 *   dh_{l-1} = relu'(a_{l-1}) ⊙ dropout'(d in_l)
 * update: SGD with momentum on every W_l, b_l.
 * </pre>
 */
public final class MlpStep {

    /**
     * A synthetic training batch for a net of layer sizes {@code dims}: inputs x (batch, dims[0])
     * uniform in [0, 1), labels uniform over the classes, and soft targets softmax(v / T) of Gaussian
     * teacher logits v of standard deviation {@code teacherScale}; all from {@code seed}.
     */
    public record Batch(float[] x, int[] labels, float[] soft) {
        public static Batch random(int[] dims, int batch, float temperature, double teacherScale, long seed) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
            int classes = dims[dims.length - 1];
            float[] x = new float[batch * dims[0]];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
            int[] labels = new int[batch];
            for (int r = 0; r < batch; r++) labels[r] = rnd.nextInt(classes);
            float[] teacher = new float[batch * classes];
            for (int i = 0; i < teacher.length; i++) teacher[i] = (float) (rnd.nextGaussian() * teacherScale);
            float[] soft = new float[batch * classes];
            new distill4j.kernels.ScalarBackend().softmax().softmaxForward(teacher, soft, batch, classes, temperature);
            return new Batch(x, labels, soft);
        }
    }

    private final Backend k;
    private final int[] dims;
    private final int batch, layers;
    private final float pIn, pHidden, temperature, alpha, lr, momentum;
    private final long seed;

    final float[][] w, b, gw, gb, vw, vb;
    // in[l]: input of layer l after dropout (B, d_l); act[l]: output of layer l (B, d_{l+1});
    // grad[l]: dL/d act[l] then dL/dh_l (B, d_{l+1}); dIn[l]: dL/d in[l] (B, d_l)
    private final float[][] in, act, grad, dIn;
    private final float[] gradHard;
    private long step;

    /**
     * @param dims layer widths, e.g. {784, 1200, 1200, 10}
     * @param seed seeds the He-normal weights N(0, 2/d_in) and the dropout masks
     */
    public MlpStep(Backend backend, int[] dims, int batch, float pIn, float pHidden, float temperature, float alpha,
                   float lr, float momentum, long seed) {
        if (dims.length < 2) throw new IllegalArgumentException("mlp: need at least 2 widths, got " + Arrays.toString(dims));
        if (!(temperature > 0)) throw new IllegalArgumentException("mlp: temperature must be > 0, got " + temperature);
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("mlp: alpha must be in [0, 1], got " + alpha);
        this.k = backend;
        this.dims = dims.clone();
        this.batch = batch;
        this.layers = dims.length - 1;
        this.pIn = pIn;
        this.pHidden = pHidden;
        this.temperature = temperature;
        this.alpha = alpha;
        this.lr = lr;
        this.momentum = momentum;
        this.seed = seed;
        w = new float[layers][]; b = new float[layers][]; gw = new float[layers][]; gb = new float[layers][];
        vw = new float[layers][]; vb = new float[layers][];
        in = new float[layers][]; act = new float[layers][]; grad = new float[layers][]; dIn = new float[layers][];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int l = 0; l < layers; l++) {
            int din = dims[l], dout = dims[l + 1];
            w[l] = new float[dout * din];
            double std = Math.sqrt(2.0 / din);
            for (int i = 0; i < w[l].length; i++) w[l][i] = (float) (rnd.nextGaussian() * std);
            b[l] = new float[dout];
            gw[l] = new float[dout * din]; gb[l] = new float[dout];
            vw[l] = new float[dout * din]; vb[l] = new float[dout];
            in[l] = new float[batch * din];
            act[l] = new float[batch * dout];
            grad[l] = new float[batch * dout];
            dIn[l] = new float[batch * din];
        }
        gradHard = new float[batch * dims[layers]];
    }

    /** Logits of the last forward pass (B, classes). */
    public float[] logits() { return act[layers - 1]; }

    /**
     * Forward with dropout, distillation loss against {@code soft} (B, classes) and {@code labels} (B),
     * backward, SGD update. Returns the batch-mean loss before the update.
     */
    public double step(float[] x, float[] soft, int[] labels) {
        step++;
        double loss = forwardLoss(x, soft, labels);
        backward();
        for (int l = 0; l < layers; l++) {
            k.optim().sgdUpdate(w[l].length, w[l], gw[l], vw[l], lr, momentum, 0f, 0f, false);
            k.optim().sgdUpdate(b[l].length, b[l], gb[l], vb[l], lr, momentum, 0f, 0f, false);
        }
        return loss;
    }

    /** Forward and loss; leaves dL/dz in grad[L-1]. Dropout masks use the current step counter. */
    double forwardLoss(float[] x, float[] soft, int[] labels) {
        k.dropout().dropoutForward(x, in[0], batch * dims[0], pIn, seed, step, 0);
        for (int l = 0; l < layers; l++) {
            int din = dims[l], dout = dims[l + 1];
            // in_l (B, din), W_l (dout, din) -> h_l (B, dout)
            k.gemm().gemm(GemmLayout.NT, batch, dout, din, in[l], w[l], act[l], false);
            k.elementwise().biasAddForward(act[l], b[l], batch, dout);
            if (l < layers - 1) {
                k.elementwise().reluForward(act[l], act[l], batch * dout);
                k.dropout().dropoutForward(act[l], in[l + 1], batch * dout, pHidden, seed + l + 1, step, 0);
            }
        }
        int classes = dims[layers];
        float[] z = act[layers - 1], dz = grad[layers - 1];
        float t = temperature;
        // soft term α·T²·CE(p, softmax(z/T)); the kernel's gradient is gradScale·(1/T)(q_T − p)
        double softCe = k.softmax().softmaxCrossEntropySoft(z, soft, dz, batch, classes, t, alpha * t * t / batch);
        // hard term (1 − α)·CE(y, softmax(z)) at T = 1
        double hardCe = k.softmax().softmaxCrossEntropyHard(z, labels, gradHard, batch, classes, 1f, (1 - alpha) / batch);
        k.elementwise().axpy(batch * classes, 1f, gradHard, dz);
        return (alpha * t * t * softCe + (1 - alpha) * hardCe) / batch;
    }

    void backward() {
        for (int l = layers - 1; l >= 0; l--) {
            int din = dims[l], dout = dims[l + 1];
            float[] dh = grad[l];
            // dh (B, dout), in_l (B, din) -> dW_l (dout, din) = dhᵀ · in_l
            k.gemm().gemm(GemmLayout.TN, dout, din, batch, dh, in[l], gw[l], false);
            k.elementwise().biasBackward(dh, gb[l], batch, dout, false);
            if (l == 0) break;
            // dh (B, dout), W_l (dout, din) -> d in_l (B, din)
            k.gemm().gemm(GemmLayout.NN, batch, din, dout, dh, w[l], dIn[l], false);
            k.dropout().dropoutBackward(dIn[l], grad[l - 1], batch * din, pHidden, seed + l, step, 0, false);
            k.elementwise().reluBackward(act[l - 1], grad[l - 1], grad[l - 1], batch * din, false);
        }
    }

    /** Floating-point operations of one step's GEMMs: forward, weight gradients, input gradients but the first. */
    public double gemmFlops() {
        double f = 0;
        for (int l = 0; l < layers; l++) {
            double one = 2.0 * batch * dims[l] * dims[l + 1];
            f += l == 0 ? 2 * one : 3 * one;
        }
        return f;
    }
}
