package distill4j.examples.train;

import distill4j.engine.io.NamedArray;
import distill4j.engine.io.StateDict;
import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
import distill4j.kernels.GemmLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A ReLU MLP trained directly on the {@link Backend} kernels — forward and backward written out layer by
 * layer, no autograd graph. Dropout masks come from Philox (a function of seed, step, element), so the
 * only state besides weights and momentum buffers is the step counter.
 *
 * <pre>
 *   a_0 = dropout(x, p_in)                                 x (B, n_0)
 *   h_l = relu(a_{l−1} · W_lᵀ + b_l),  a_l = dropout(h_l, p_hidden)   W_l (n_l, n_{l−1}), b_l (n_l)
 *   z   = a_{L−1} · W_Lᵀ + b_L                             logits (B, n_L)
 * </pre>
 * After each SGD step (PyTorch semantics; dampening = momentum gives the dropout paper's "(1 − μ)
 * scaled gradient"), each hidden unit's incoming weight vector is clipped to the max-norm.
 */
public final class KernelNet implements Net {
    /** Rows per chunk in {@link #logits}. */
    private static final int EVAL_CHUNK = 500;
    /** Separates the dropout element indices of different layers within one step. */
    private static final int LAYER_INDEX_SHIFT = 40;
    private static final long DROPOUT_SALT = 0x44524f504f555401L; // "DROPOUT" 1

    private final Backend be = Backends.get();
    private final int[] sizes;
    private final Net.Options opt;
    private final float[][] w, b, gw, gb, vw, vb;
    private long step;

    // per-batch buffers, grown as needed
    private int cap;
    private float[][] act;  // act[l]: input of layer l after dropout (B, n_l)
    private float[][] hid;  // hid[l]: relu output of layer l, l < L−1 (B, n_{l+1})
    private float[] out, gSoft, gHard, gA, gB;

    public KernelNet(int[] sizes, Net.Options options) {
        if (sizes.length < 2) throw new IllegalArgumentException("MLP needs at least 2 sizes, got " + sizes.length);
        for (int s : sizes) if (s <= 0) throw new IllegalArgumentException("MLP sizes must be positive: " + java.util.Arrays.toString(sizes));
        this.sizes = sizes.clone();
        this.opt = options;
        int layers = sizes.length - 1;
        w = new float[layers][]; b = new float[layers][]; gw = new float[layers][]; gb = new float[layers][];
        vw = new float[layers][]; vb = new float[layers][];
        SplittableRandom rng = new SplittableRandom(options.seed());
        for (int l = 0; l < layers; l++) {
            int in = sizes[l], o = sizes[l + 1];
            w[l] = new float[o * in]; b[l] = new float[o];
            gw[l] = new float[o * in]; gb[l] = new float[o];
            vw[l] = new float[o * in]; vb[l] = new float[o];
            // He initialisation for ReLU: N(0, 2 / fan_in)
            double sd = Math.sqrt(2.0 / in);
            for (int i = 0; i < w[l].length; i++) w[l][i] = (float) (rng.nextGaussian() * sd);
        }
    }

    @Override public int[] sizes() { return sizes.clone(); }

    public Net.Options options() { return opt; }

    private int layers() { return sizes.length - 1; }

    private void ensure(int rows) {
        if (rows <= cap) return;
        cap = rows;
        int layers = layers();
        act = new float[layers][];
        hid = new float[layers][];
        int widest = 0;
        for (int l = 0; l < layers; l++) {
            act[l] = new float[rows * sizes[l]];
            if (l < layers - 1) hid[l] = new float[rows * sizes[l + 1]];
            widest = Math.max(widest, Math.max(sizes[l], sizes[l + 1]));
        }
        int classes = sizes[layers];
        out = new float[rows * classes];
        gSoft = new float[rows * classes];
        gHard = new float[rows * classes];
        gA = new float[rows * widest];
        gB = new float[rows * widest];
    }

    /** Forward pass into act/hid/out; dropout only when training (with the current step). */
    private void forward(float[] x, int rows, boolean train) {
        int layers = layers();
        int n0 = sizes[0];
        long seed = opt.seed() ^ DROPOUT_SALT;
        // a_0 = dropout(x, p_in): x (B, n_0)
        if (train && opt.dropoutInput() > 0) be.dropoutForward(x, act[0], rows * n0, opt.dropoutInput(), seed, step, 0);
        else System.arraycopy(x, 0, act[0], 0, rows * n0);
        for (int l = 0; l < layers; l++) {
            int in = sizes[l], o = sizes[l + 1];
            float[] y = l < layers - 1 ? hid[l] : out;
            // y (B, o) = a_l (B, in) · W_lᵀ (in, o) + b_l
            be.gemm(GemmLayout.NT, rows, o, in, act[l], w[l], y, false);
            be.biasAddForward(y, b[l], rows, o);
            if (l < layers - 1) {
                be.reluForward(y, y, rows * o);
                if (train && opt.dropoutHidden() > 0) {
                    be.dropoutForward(y, act[l + 1], rows * o, opt.dropoutHidden(), seed, step, (long) (l + 1) << LAYER_INDEX_SHIFT);
                } else {
                    System.arraycopy(y, 0, act[l + 1], 0, rows * o);
                }
            }
        }
    }

    @Override
    public void logits(float[] x, int rows, float[] dst) {
        int n0 = sizes[0], classes = sizes[sizes.length - 1];
        ensure(Math.min(rows, EVAL_CHUNK));
        float[] chunk = new float[Math.min(rows, EVAL_CHUNK) * n0];
        for (int r = 0; r < rows; r += EVAL_CHUNK) {
            int m = Math.min(EVAL_CHUNK, rows - r);
            System.arraycopy(x, r * n0, chunk, 0, m * n0);
            forward(chunk, m, false);
            System.arraycopy(out, 0, dst, r * classes, m * classes);
        }
    }

    @Override
    public double trainStep(float[] x, int rows, Targets.Batch batch, float lr, float momentum, float[] logitsOut) {
        ensure(rows);
        int layers = layers();
        int classes = sizes[layers];
        forward(x, rows, true);
        if (logitsOut != null) System.arraycopy(out, 0, logitsOut, 0, rows * classes);

        Targets t = batch.targets();
        float temperature = t.temperature(), alpha = t.alpha();
        double loss = 0;
        int n = rows * classes;
        // L = α·T²·CE(p_T, q_T) + (1 − α)·CE(y, q_1), batch mean; the kernels return sums over rows and
        // write gradScale · (1/T)(q − target) as the gradient.
        java.util.Arrays.fill(gA, 0, n, 0f);
        if (t.usesSoft()) {
            float softScale = alpha * temperature * temperature / rows;
            double ce = be.softmaxCrossEntropySoft(out, batch.soft(), gSoft, rows, classes, temperature, softScale);
            // reported as KL(p ‖ q) = CE(p, q) − H(p): same gradient, but 0 at a perfect match
            loss += softScale * (ce - entropy(batch.soft(), rows * classes));
            be.axpy(n, 1f, gSoft, gA);
        }
        if (t.usesHard()) {
            float hardScale = (1 - alpha) / rows;
            double ce = be.softmaxCrossEntropyHard(out, batch.labels(), gHard, rows, classes, 1f, hardScale);
            loss += hardScale * ce;
            be.axpy(n, 1f, gHard, gA);
        }
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException("training loss is " + loss + " at step " + step + " (lr " + lr
                    + "): the learning rate is probably too high for this loss scale");
        }

        // backward: gA holds dL/dz of the current layer's output
        long seed = opt.seed() ^ DROPOUT_SALT;
        float[] g = gA, gNext = gB;
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l], o = sizes[l + 1];
            // dW_l (o, in) = gᵀ (o, B) · a_l (B, in);  db_l = Σ_rows g
            be.gemm(GemmLayout.TN, o, in, rows, g, act[l], gw[l], false);
            be.biasBackward(g, gb[l], rows, o, false);
            if (l == 0) break;
            // d a_l (B, in) = g (B, o) · W_l (o, in); then back through dropout and relu of layer l−1
            be.gemm(GemmLayout.NN, rows, in, o, g, w[l], gNext, false);
            if (opt.dropoutHidden() > 0) {
                be.dropoutBackward(gNext, gNext, rows * in, opt.dropoutHidden(), seed, step, (long) l << LAYER_INDEX_SHIFT, false);
            }
            be.reluBackward(hid[l - 1], gNext, gNext, rows * in, false);
            float[] tmp = g; g = gNext; gNext = tmp;
        }

        // SGD with momentum; dampening = μ scales the gradient by (1 − μ) as in the dropout paper
        float damp = opt.dampenByMomentum() ? momentum : 0f;
        for (int l = 0; l < layers; l++) {
            be.sgdUpdate(w[l].length, w[l], gw[l], vw[l], lr, momentum, damp, 0f, false);
            be.sgdUpdate(b[l].length, b[l], gb[l], vb[l], lr, momentum, damp, 0f, false);
            // max-norm on each hidden unit's incoming weights (rows of W_l); not on the output layer
            if (opt.maxNorm() > 0 && l < layers - 1) be.maxNormRows(w[l], sizes[l + 1], sizes[l], opt.maxNorm());
        }
        step++;
        return loss;
    }

    /** Σ −p log p over n entries (0 log 0 = 0), in float64. */
    private static double entropy(float[] p, int n) {
        double h = 0;
        for (int i = 0; i < n; i++) if (p[i] > 0) h -= p[i] * Math.log(p[i]);
        return h;
    }

    @Override
    public StateDict state() {
        StateDict.Builder s = StateDict.builder();
        for (int l = 0; l < layers(); l++) {
            int[] shapeW = {sizes[l + 1], sizes[l]}, shapeB = {sizes[l + 1]};
            s.array("fc" + (l + 1) + ".weight", shapeW, w[l].clone());
            s.array("fc" + (l + 1) + ".bias", shapeB, b[l].clone());
            s.array("optimizer.fc" + (l + 1) + ".weight.momentum_buffer", shapeW, vw[l].clone());
            s.array("optimizer.fc" + (l + 1) + ".bias.momentum_buffer", shapeB, vb[l].clone());
        }
        s.scalar("dropout.step", step);
        s.metadata("sizes", java.util.Arrays.toString(sizes));
        return s.build();
    }

    @Override
    public void load(StateDict state) {
        for (int l = 0; l < layers(); l++) {
            copy(state.array("fc" + (l + 1) + ".weight"), w[l]);
            copy(state.array("fc" + (l + 1) + ".bias"), b[l]);
            if (state.arrays().containsKey("optimizer.fc" + (l + 1) + ".weight.momentum_buffer")) {
                copy(state.array("optimizer.fc" + (l + 1) + ".weight.momentum_buffer"), vw[l]);
                copy(state.array("optimizer.fc" + (l + 1) + ".bias.momentum_buffer"), vb[l]);
            }
        }
        step = state.scalars().getOrDefault("dropout.step", 0L);
    }

    private static void copy(NamedArray a, float[] dst) {
        if (a.data().length != dst.length) {
            throw new IllegalArgumentException("checkpoint array " + a.name() + " has " + a.data().length
                    + " elements, the model expects " + dst.length);
        }
        System.arraycopy(a.data(), 0, dst, 0, dst.length);
    }

    @Override
    public String checksum() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(java.util.Arrays.toString(sizes).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (int l = 0; l < layers(); l++) {
                for (float[] p : new float[][] {w[l], b[l]}) {
                    ByteBuffer buf = ByteBuffer.allocate(4 * p.length).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asFloatBuffer().put(p);
                    md.update(buf.array());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
