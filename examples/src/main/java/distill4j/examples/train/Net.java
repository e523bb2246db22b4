package distill4j.examples.train;

import distill4j.engine.Checkpoint;
import distill4j.engine.Tensor;
import distill4j.engine.Workspace;
import distill4j.engine.io.StateDict;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.loss.Losses;
import distill4j.engine.nn.Init;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Parameter;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.MaxNorm;
import distill4j.engine.optim.SGD;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * The experiments' model: a ReLU MLP classifier that takes training steps on a batch with the
 * distillation loss, gives eval-mode logits, and saves/restores its complete training state
 * (parameters, momentum buffers, dropout step counters) so a resumed run continues bit for bit.
 * Built on the distill4j engine: {@code MLP.of(...)} (ReLU, dropout), {@link SGD}
 * with momentum (dampening = μ gives the dropout paper's (1 − μ)-scaled gradient), {@link MaxNorm} on
 * the hidden layers, and the {@link DistillationLoss} of the paper (or plain cross-entropy for hard
 * labels). Weights He-uniform, biases zero. Training steps run in a {@link Workspace}, so after the
 * first step of a batch size they reuse their float arrays instead of allocating them.
 */
public final class Net {
    /**
     * Training options that are part of the model: dropout on inputs and hidden units, max-norm of each
     * hidden unit's incoming weights (0 = none), the (1 − μ) gradient scaling of the dropout paper
     * (SGD dampening = momentum), and the seed of initial weights and dropout masks.
     */
    public record Options(float dropoutInput, float dropoutHidden, float maxNorm, boolean dampenByMomentum, long seed) {
        public Options {
            if (!(dropoutInput >= 0 && dropoutInput < 1)) throw new IllegalArgumentException("dropout on inputs " + dropoutInput + " not in [0, 1)");
            if (!(dropoutHidden >= 0 && dropoutHidden < 1)) throw new IllegalArgumentException("dropout on hidden units " + dropoutHidden + " not in [0, 1)");
            if (!(maxNorm >= 0)) throw new IllegalArgumentException("max-norm " + maxNorm + " must be ≥ 0 (0 = none)");
        }

        public static Options plain(long seed) { return new Options(0f, 0f, 0f, false, seed); }
    }

    private final int[] sizes;
    private final Options opt;
    private final Sequential model;
    private final SGD sgd;
    private final Workspace workspace = new Workspace();

    public Net(int[] sizes, Options options) {
        this.sizes = sizes.clone();
        this.opt = options;
        this.model = MLP.of(sizes).dropout(options.dropoutInput(), options.dropoutHidden())
                .init(Init.heUniform()).biasInit(Init.zeros()).seed(options.seed()).build();
        this.sgd = new SGD(model.namedParameters(), 0.1f);
        if (options.maxNorm() > 0) sgd.constrain(MaxNorm.onHiddenLayers(model, options.maxNorm()));
    }

    /** The engine model (for examples that want to go on with it). */
    public Sequential model() { return model; }

    /** The training options it was built with. */
    public Options options() { return opt; }

    /** Layer sizes, e.g. {784, 1200, 1200, 10}. */
    public int[] sizes() { return sizes.clone(); }

    /** Eval-mode (no dropout) logits: x (rows, in) → out (rows, classes). */
    public void logits(float[] x, int rows, float[] out) {
        Tensor z = model.predict(Tensor.of(Arrays.copyOf(x, rows * sizes[0]), rows, sizes[0]));
        System.arraycopy(z.data(), 0, out, 0, rows * sizes[sizes.length - 1]);
    }

    /**
     * One SGD step on a batch x (rows, in) with the loss of {@link Targets} (batch mean); returns that
     * loss (the soft term shown as KL), and writes the training-mode logits (rows, classes) into
     * {@code logitsOut} when it is not null.
     */
    public double trainStep(float[] x, int rows, Targets.Batch batch, float lr, float momentum, float[] logitsOut) {
        // the step's tensors are released when the scope closes: everything needed is copied out inside
        try (Workspace.Scope step = workspace.open()) {
            return trainStep(step, x, rows, batch, lr, momentum, logitsOut);
        }
    }

    private double trainStep(Workspace.Scope step, float[] x, int rows, Targets.Batch batch, float lr, float momentum,
                             float[] logitsOut) {
        int classes = sizes[sizes.length - 1];
        model.train();
        Tensor z = model.forward(step.copyOf(x, rows, sizes[0]));
        if (logitsOut != null) System.arraycopy(z.data(), 0, logitsOut, 0, rows * classes);
        Targets t = batch.targets();
        int[] labels = t.usesHard() ? Arrays.copyOf(batch.labels(), rows) : null;
        Tensor loss;
        double entropyTerm = 0;
        if (!t.usesSoft()) {
            // L = CE(y, softmax(z)), batch mean
            loss = Losses.crossEntropy(z, labels);
        } else {
            // L = α · T² · CE(p_T, q_T) + (1 − α) · CE(y, q_1), batch mean
            Tensor p = step.copyOf(batch.soft(), rows, classes);
            DistillationLoss d = t.loss();
            loss = d.compute(z, p, labels);
            // shown as KL: minus α · T² · H(p) / B, which has no gradient
            entropyTerm = d.entropyOffset(p);
        }
        sgd.zeroGrad();
        loss.backward();
        sgd.setLearningRate(lr);
        sgd.setMomentum(momentum);
        sgd.dampening(opt.dampenByMomentum() ? momentum : 0f);
        sgd.step();
        return loss.item() - entropyTerm;
    }

    /** The engine's {@link Checkpoint} layout: parameters, "optimizer.*" buffers, "dropout.K.seed/step". */
    public StateDict state() {
        return Checkpoint.capture(model, sgd, Map.of());
    }

    /** Restores weights, optimizer buffers and dropout counters; {@code source} (the file) is named in any mismatch. */
    public void load(StateDict state, String source) {
        Checkpoint.restore(state, model, sgd, source);
    }

    /** SHA-256 over the parameters (not optimizer state): names caches of this model's outputs. */
    public String checksum() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Arrays.toString(sizes).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                float[] p = e.getValue().data();
                ByteBuffer buf = ByteBuffer.allocate(4 * p.length).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(p);
                md.update(buf.array());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
