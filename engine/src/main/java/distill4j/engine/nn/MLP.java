package distill4j.engine.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builder of a ReLU multilayer perceptron as a {@link Sequential}:
 * <pre>
 *   Sequential teacher = MLP.of(784, 1200, 1200, 10).dropout(0.2, 0.5).init(Init.gaussian(0.01)).seed(1).build();
 *   // Dropout(0.2), Linear(784→1200), ReLU, Dropout(0.5), Linear(1200→1200), ReLU, Dropout(0.5), Linear(1200→10)
 * </pre>
 * The last layer outputs logits (no activation). Input dropout is added only when its p &gt; 0, and
 * hidden dropout only when its p &gt; 0. Same seed, same weights and same dropout masks.
 */
public final class MLP {
    private final int[] sizes;
    private float inputDropout;
    private float hiddenDropout;
    private Init weightInit = Init.lecunUniform();
    private Init biasInit = Init.lecunUniform();
    private long seed = 0;

    private MLP(int[] sizes) {
        if (sizes.length < 2) throw new IllegalArgumentException("MLP: needs at least an input and an output size, got " + Arrays.toString(sizes));
        for (int s : sizes) if (s <= 0) throw new IllegalArgumentException("MLP: sizes must be positive, got " + Arrays.toString(sizes));
        this.sizes = sizes.clone();
    }

    /** Layer sizes from input to output, e.g. {@code of(784, 800, 800, 10)}. */
    public static MLP of(int... sizes) {
        return new MLP(sizes);
    }

    /** Dropout probabilities on the inputs and on each hidden layer's output. */
    public MLP dropout(double input, double hidden) {
        this.inputDropout = (float) input;
        this.hiddenDropout = (float) hidden;
        return this;
    }

    /** Initialiser of the weights (biases keep theirs, see {@link #biasInit}). */
    public MLP init(Init weights) {
        this.weightInit = weights;
        return this;
    }

    public MLP biasInit(Init biases) {
        this.biasInit = biases;
        return this;
    }

    public MLP seed(long seed) {
        this.seed = seed;
        return this;
    }

    public Sequential build() {
        SplittableRandom root = new SplittableRandom(seed);
        List<Module> layers = new ArrayList<>();
        int dropoutIndex = 0;
        if (inputDropout > 0f) layers.add(new Dropout(inputDropout, dropoutSeed(dropoutIndex++)));
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(new Linear(sizes[i], sizes[i + 1], true, weightInit, biasInit, root.split()));
            boolean hidden = i + 2 < sizes.length;
            if (hidden) {
                layers.add(new ReLU());
                if (hiddenDropout > 0f) layers.add(new Dropout(hiddenDropout, dropoutSeed(dropoutIndex++)));
            }
        }
        return new Sequential(layers);
    }

    /** Distinct, well-mixed seeds per dropout layer, derived from the builder's seed. */
    private long dropoutSeed(int index) {
        return new SplittableRandom(seed ^ 0x5DEECE66DL * (index + 1)).nextLong();
    }
}
