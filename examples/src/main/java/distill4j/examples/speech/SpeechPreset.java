package distill4j.examples.speech;

import java.util.Arrays;

/**
 * Sizes and schedules of the speech experiments (paper §4 and §6), scaled to a 2-core machine.
 *
 * <p>The paper's acoustic model is 8 hidden layers × 2,560 ReLU (~85M parameters) over 14,000
 * context-dependent HMM states, trained on ~700M frames. Here: {@code layers} × {@code hidden} ReLU over
 * the corpus's 124 context-independent states, on 18k (quick) or 360k (full) frames; the input is the
 * paper's 26 × 40 = 1,040 filterbank values. Every model: SGD with momentum 0.9, learning rate decaying
 * exponentially by 10× over its epochs, a linear warm-up over the first epoch, batches of 128.
 *
 * @param members       ensemble size (the paper: 10); member 0 is also the baseline
 * @param epochs        epochs of the baseline/ensemble members and of the distilled models
 * @param temperatures  the distillation temperatures tried (the paper: 1, 2, 5, 10); chosen on dev
 * @param alpha         weight of the soft term; 1 − alpha on the hard labels (the paper: 0.5)
 * @param subsetFraction share of the training frames of §6 (the paper: 3%)
 * @param subsetEpochs  epochs of the §6 models on the subset (hard: at most this many, early stopping)
 * @param patience      early stopping of the §6 hard-target model: epochs without a better dev accuracy
 */
public record SpeechPreset(String name, int layers, int hidden, int members, int epochs, int batch, float lr,
                           float[] temperatures, float alpha, double subsetFraction, int subsetEpochs, int patience) {
    public SpeechPreset {
        if (layers < 1 || hidden < 1) throw new IllegalArgumentException("layers " + layers + ", hidden " + hidden + " must be ≥ 1");
        if (members < 2) throw new IllegalArgumentException("--members " + members + ": an ensemble needs ≥ 2");
        if (epochs < 1 || subsetEpochs < 1) throw new IllegalArgumentException("epochs must be ≥ 1");
        if (!(lr > 0)) throw new IllegalArgumentException("--lr " + lr + " must be > 0");
        if (!(subsetFraction > 0 && subsetFraction <= 1)) throw new IllegalArgumentException("subset fraction " + subsetFraction);
        if (temperatures.length == 0) throw new IllegalArgumentException("no temperatures");
        temperatures = temperatures.clone();
    }

    /** The whole pipeline in a few minutes on the quick corpus (18k training frames): 3 members, not 10. */
    public static SpeechPreset quick() {
        return new SpeechPreset("quick", 2, 256, 3, 6, 128, 0.05f, new float[] {1, 2, 5, 10}, 0.5f, 0.03, 60, 8);
    }

    /**
     * The full corpus (360k training frames): 3 × 384 ReLU (743k parameters, ~1/115 of the paper's 85M),
     * 10 members and 4 distilled models of 6 epochs each (84 epochs), plus logits and the §6 models.
     * Measured wall times are in RESULTS.md.
     */
    public static SpeechPreset full() {
        return new SpeechPreset("full", 3, 384, 10, 6, 128, 0.05f, new float[] {1, 2, 5, 10}, 0.5f, 0.03, 40, 5);
    }

    public SpeechPreset withMembers(int m) { return new SpeechPreset(name, layers, hidden, m, epochs, batch, lr, temperatures, alpha, subsetFraction, subsetEpochs, patience); }
    public SpeechPreset withEpochs(int e) { return new SpeechPreset(name, layers, hidden, members, e, batch, lr, temperatures, alpha, subsetFraction, subsetEpochs, patience); }
    public SpeechPreset withSubsetEpochs(int e) { return new SpeechPreset(name, layers, hidden, members, epochs, batch, lr, temperatures, alpha, subsetFraction, e, patience); }
    public SpeechPreset withHidden(int h) { return new SpeechPreset(name, layers, h, members, epochs, batch, lr, temperatures, alpha, subsetFraction, subsetEpochs, patience); }
    public SpeechPreset withLayers(int l) { return new SpeechPreset(name, l, hidden, members, epochs, batch, lr, temperatures, alpha, subsetFraction, subsetEpochs, patience); }
    public SpeechPreset withLr(float v) { return new SpeechPreset(name, layers, hidden, members, epochs, batch, v, temperatures, alpha, subsetFraction, subsetEpochs, patience); }
    public SpeechPreset withTemperatures(float[] t) { return new SpeechPreset(name, layers, hidden, members, epochs, batch, lr, t, alpha, subsetFraction, subsetEpochs, patience); }

    /** Layer sizes: 1040, hidden × layers, 124. */
    public int[] sizes() {
        int[] s = new int[layers + 2];
        s[0] = SpeechFeatures.INPUT_SIZE;
        Arrays.fill(s, 1, layers + 1, hidden);
        s[layers + 1] = PhoneStates.count();
        return s;
    }

    /** Number of weights and biases. */
    public long parameters() {
        int[] s = sizes();
        long n = 0;
        for (int i = 0; i + 1 < s.length; i++) n += (long) s[i] * s[i + 1] + s[i + 1];
        return n;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s: %d × %d ReLU (%,d parameters), %d members, %d epochs, batch %d, lr %s,"
                + " T %s, alpha %s, subset %.0f%% (%d epochs, patience %d)", name, layers, hidden, parameters(), members, epochs,
                batch, lr, Arrays.toString(temperatures), alpha, 100 * subsetFraction, subsetEpochs, patience);
    }
}
