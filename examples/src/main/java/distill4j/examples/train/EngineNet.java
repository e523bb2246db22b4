package distill4j.examples.train;

import distill4j.engine.Checkpoint;
import distill4j.engine.Tensor;
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
 * The experiments' model on the distill4j engine: {@code MLP.of(...)} (ReLU, dropout), {@link SGD}
 * with momentum (dampening = μ gives the dropout paper's (1 − μ)-scaled gradient), {@link MaxNorm} on
 * the hidden layers, and the {@link DistillationLoss} of the paper (or plain cross-entropy for hard
 * labels). Weights He-uniform, biases zero.
 */
public final class EngineNet implements Net {
    private final int[] sizes;
    private final Net.Options opt;
    private final Sequential model;
    private final SGD sgd;

    public EngineNet(int[] sizes, Net.Options options) {
        this.sizes = sizes.clone();
        this.opt = options;
        this.model = MLP.of(sizes).dropout(options.dropoutInput(), options.dropoutHidden())
                .init(Init.heUniform()).biasInit(Init.zeros()).seed(options.seed()).build();
        this.sgd = new SGD(model.namedParameters(), 0.1f);
        if (options.maxNorm() > 0) sgd.constrain(MaxNorm.onHiddenLayers(model, options.maxNorm()));
    }

    /** The engine model (for examples that want to go on with it). */
    public Sequential model() { return model; }

    @Override public int[] sizes() { return sizes.clone(); }

    @Override
    public void logits(float[] x, int rows, float[] out) {
        Tensor z = model.predict(Tensor.of(Arrays.copyOf(x, rows * sizes[0]), rows, sizes[0]));
        System.arraycopy(z.data(), 0, out, 0, rows * sizes[sizes.length - 1]);
    }

    @Override
    public double trainStep(float[] x, int rows, Targets.Batch batch, float lr, float momentum, float[] logitsOut) {
        int classes = sizes[sizes.length - 1];
        model.train();
        Tensor z = model.forward(Tensor.of(Arrays.copyOf(x, rows * sizes[0]), rows, sizes[0]));
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
            Tensor p = Tensor.of(Arrays.copyOf(batch.soft(), rows * classes), rows, classes);
            loss = new DistillationLoss(t.alpha(), t.temperature()).compute(z, p, labels);
            // shown as KL: minus α · T² · H(p) / B, which has no gradient
            double h = 0;
            for (int i = 0; i < rows * classes; i++) {
                float pi = batch.soft()[i];
                if (pi > 0) h -= pi * Math.log(pi);
            }
            entropyTerm = t.alpha() * t.temperature() * t.temperature() * h / rows;
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
    @Override
    public StateDict state() {
        return Checkpoint.capture(model, sgd, Map.of());
    }

    @Override
    public void load(StateDict state) {
        Checkpoint.restore(state, model, sgd);
    }

    @Override
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
