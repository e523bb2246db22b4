package distill4j.engine.distill;

import distill4j.engine.Grad;
import distill4j.engine.Shapes;
import distill4j.engine.Tensor;
import distill4j.engine.nn.Linear;
import distill4j.engine.nn.Sequential;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One specialist model's class bookkeeping (Hinton, Vinyals &amp; Dean 2015, §5.2). A specialist
 * is trained on a subset S of the C classes that the generalist confuses (see {@link ConfusableClasses})
 * and has |S| + 1 outputs: one per class of S and a single dustbin class standing for every class not
 * in S. Local index i &lt; |S| is class S[i]; local index |S| is the dustbin.
 *
 * <p>The paper's recipe, and where each step lives here:
 * <ul>
 *   <li>the specialist is initialised with the weights of the generalist ({@link #initFrom});</li>
 *   <li>its training set: half from its special subset, half sampled at random from the rest
 *       ({@link #trainingSample}); labels map to local labels ({@link #localLabels}) and the
 *       generalist's soft targets collapse to |S| + 1 columns ({@link #collapse});</li>
 *   <li>after training, "we correct for the biased training set by incrementing the logit of the
 *       dust-bin class by the log of the proportion by which the specialist class is oversampled"
 *       ({@link #dustbinCorrection}, {@link #correctDustbin}).</li>
 * </ul>
 * Immutable.
 */
public final class Specialist {
    private final int totalClasses;
    private final int[] classes;
    /** local[j] = index of class j in S, or the dustbin. */
    private final int[] local;

    /**
     * A specialist for the classes S (copied and sorted) out of {@code totalClasses}. S must be non-empty,
     * distinct, within [0, C), and leave at least one class for the dustbin.
     */
    public Specialist(int totalClasses, int[] classes) {
        if (totalClasses < 2) throw new IllegalArgumentException("specialist: needs at least 2 classes in total, got " + totalClasses);
        if (classes == null || classes.length == 0) throw new IllegalArgumentException("specialist: the class set is empty");
        int[] s = classes.clone();
        Arrays.sort(s);
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0 || s[i] >= totalClasses) {
                throw new IllegalArgumentException("specialist: class " + s[i] + " not in 0.." + (totalClasses - 1));
            }
            if (i > 0 && s[i] == s[i - 1]) {
                throw new IllegalArgumentException("specialist: class " + s[i] + " appears twice in " + Arrays.toString(classes));
            }
        }
        if (s.length == totalClasses) {
            throw new IllegalArgumentException("specialist: the class set covers all " + totalClasses
                    + " classes, leaving none for the dustbin");
        }
        this.totalClasses = totalClasses;
        this.classes = s;
        this.local = new int[totalClasses];
        Arrays.fill(local, s.length);
        for (int i = 0; i < s.length; i++) local[s[i]] = i;
    }

    /** C, the generalist's number of classes. */
    public int totalClasses() {
        return totalClasses;
    }

    /** S, sorted ascending (a copy). */
    public int[] classes() {
        return classes.clone();
    }

    /** The number of outputs of the specialist: |S| + 1. */
    public int size() {
        return classes.length + 1;
    }

    /** The local index of the dustbin class: |S|. */
    public int dustbin() {
        return classes.length;
    }

    /** Whether a class of the generalist is in S. */
    public boolean covers(int globalClass) {
        return localLabel(globalClass) != dustbin();
    }

    /** The specialist's label for a generalist label: its index in S, or {@link #dustbin()}. */
    public int localLabel(int globalLabel) {
        if (globalLabel < 0 || globalLabel >= totalClasses) {
            throw new IllegalArgumentException("specialist: label " + globalLabel + " not in 0.." + (totalClasses - 1));
        }
        return local[globalLabel];
    }

    /** {@link #localLabel} of each label. */
    public int[] localLabels(int[] globalLabels) {
        int[] out = new int[globalLabels.length];
        for (int i = 0; i < out.length; i++) out[i] = localLabel(globalLabels[i]);
        return out;
    }

    /**
     * p (N, C) → (N, |S| + 1): column i &lt; |S| is p restricted to class S[i], the dustbin column is
     * Σ_{j ∉ S} p_j (summed in double). The soft targets of a specialist from the generalist's, and the
     * q^m of eq. 5.
     */
    public Tensor collapse(Tensor probabilities) {
        if (probabilities.rank() != 2 || probabilities.dim(1) != totalClasses) {
            throw new IllegalArgumentException("specialist: collapse needs probabilities (N, " + totalClasses + "), got shape "
                    + Shapes.str(probabilities.shape()));
        }
        int n = probabilities.dim(0), c = totalClasses, k = size(), dust = dustbin();
        float[] p = probabilities.data();
        float[] out = new float[n * k];
        for (int r = 0; r < n; r++) {
            double rest = 0;
            for (int j = 0; j < c; j++) {
                int l = local[j];
                // q^m_i = p_{S[i]};  q^m_dustbin = Σ_{j ∉ S} p_j
                if (l == dust) rest += p[r * c + j]; else out[r * k + l] = p[r * c + j];
            }
            // a float softmax row may sum to 1 + a few ulps: a dustbin of almost all the mass stays a probability
            out[r * k + dust] = (float) Math.min(1.0, rest);
        }
        return Tensor.of(out, n, k);
    }

    /**
     * The indices of a specialist's training set and the two shares that {@link #dustbinCorrection} needs.
     *
     * @param indices     ascending indices into the labels
     * @param fullShare   f: the share of examples whose label is in S, in the whole set
     * @param sampleShare s: the share of examples whose label is in S, in the sample
     */
    public record Sample(int[] indices, double fullShare, double sampleShare) {}

    /**
     * The paper's training set of a specialist ("half its examples come from its special subset and
     * half are sampled at random from the remainder of the training set"): every example whose label
     * is in S, plus as many examples drawn at random without replacement from the others (all of them
     * if there are fewer). The draw is a partial Fisher–Yates shuffle from {@code new SplittableRandom(seed)}.
     *
     * @throws IllegalArgumentException if a label is outside [0, C) or no label is in S
     */
    public Sample trainingSample(int[] labels, long seed) {
        int n = labels.length, in = 0;
        for (int i = 0; i < n; i++) if (localLabel(labels[i]) != dustbin()) in++;
        if (in == 0) {
            throw new IllegalArgumentException("specialist: none of the " + n + " labels is in " + Arrays.toString(classes));
        }
        int[] others = new int[n - in];
        int[] picked = new int[n];
        for (int i = 0, o = 0, p = 0; i < n; i++) {
            if (local[labels[i]] != dustbin()) picked[p++] = i; else others[o++] = i;
        }
        int draw = Math.min(in, others.length);
        // partial Fisher–Yates: others[0..draw) becomes a uniform sample without replacement
        SplittableRandom rng = new SplittableRandom(seed);
        for (int t = 0; t < draw; t++) {
            int u = t + rng.nextInt(others.length - t);
            int tmp = others[t];
            others[t] = others[u];
            others[u] = tmp;
        }
        System.arraycopy(others, 0, picked, in, draw);
        int[] indices = Arrays.copyOf(picked, in + draw);
        Arrays.sort(indices);
        // f = |in S| / N,  s = |in S| / (|in S| + drawn)
        return new Sample(indices, (double) in / n, (double) in / (in + draw));
    }

    /**
     * The log prior ratio to add to the dustbin logit of a specialist trained on a sample where S has
     * share s instead of its share f in the data:
     * <pre>  δ = log( ((1 − f) / f) · (s / (1 − s)) )  </pre>
     * By Bayes, a model trained with class priors π_s has logits log p(x|y) + log π_s(y) + const;
     * replacing the priors of S by f·(its within-S shares) and of the dustbin by 1 − f only changes
     * the dustbin logit relative to S's, by log((1 − f)/(1 − s)) − log(f/s) = δ. For the paper's s = 1/2
     * this is log((1 − f)/f), the log of the factor by which S was oversampled relative to the dustbin
     * ("incrementing the logit of the dust-bin class by the log of the proportion by which the
     * specialist class is oversampled").
     */
    public static double dustbinCorrection(double fullShare, double sampleShare) {
        if (!(fullShare > 0 && fullShare < 1)) throw new IllegalArgumentException("dustbinCorrection: full share f = " + fullShare + " not in (0, 1)");
        if (!(sampleShare > 0 && sampleShare < 1)) throw new IllegalArgumentException("dustbinCorrection: sample share s = " + sampleShare + " not in (0, 1)");
        return Math.log((1 - fullShare) / fullShare * (sampleShare / (1 - sampleShare)));
    }

    /**
     * The dustbin correction found from predictions instead of from the sampling: the δ for which the
     * mean over held-out rows of the dustbin probability softmax(z + δ·e_dustbin)_dustbin equals
     * {@code dustbinShare} (the share of examples outside S, e.g. 1 − f from the training labels), so no
     * label of those rows is needed. The mean is increasing in δ, so δ is found by bisection to 1e-9.
     * Use it where {@link #dustbinCorrection} does not apply: a specialist trained on soft targets,
     * which carry the true prior, as well as on the half-and-half sample's labels, is biased towards
     * neither prior exactly. logits (rows, |S| + 1), not changed.
     */
    public double priorMatchingCorrection(float[] logits, int rows, double dustbinShare) {
        if (rows < 1 || logits.length != rows * size()) {
            throw new IllegalArgumentException("specialist: logits of length " + logits.length + " are not (" + rows + ", " + size() + ") with rows ≥ 1");
        }
        if (!(dustbinShare > 0 && dustbinShare < 1)) {
            throw new IllegalArgumentException("priorMatchingCorrection: dustbin share " + dustbinShare + " not in (0, 1)");
        }
        int k = size(), dust = dustbin();
        // per row: a = log Σ_{i ∈ S} exp(z_i) (max-shifted), b = z_dustbin; p_dust(δ) = 1 / (1 + exp(a − b − δ))
        double[] gap = new double[rows];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < k - 1; i++) max = Math.max(max, logits[r * k + i]);
            double sum = 0;
            for (int i = 0; i < k - 1; i++) sum += Math.exp(logits[r * k + i] - max);
            gap[r] = max + Math.log(sum) - logits[r * k + dust];
            if (!Double.isFinite(gap[r])) throw new IllegalArgumentException("priorMatchingCorrection: row " + r + " has a non-finite logit");
        }
        double lo = -50, hi = 50;
        while (hi - lo > 1e-9) {
            double mid = 0.5 * (lo + hi), mean = 0;
            for (double g : gap) mean += 1 / (1 + Math.exp(g - mid));
            if (mean / rows < dustbinShare) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** logits (rows, |S| + 1), row-major: adds {@code correction} to the dustbin column, in place. */
    public void correctDustbin(float[] logits, int rows, double correction) {
        if (rows < 0 || logits.length != rows * size()) {
            throw new IllegalArgumentException("specialist: logits of length " + logits.length + " are not (" + rows + ", " + size() + ")");
        }
        if (!Double.isFinite(correction)) throw new IllegalArgumentException("specialist: dustbin correction " + correction + " is not finite");
        int k = size(), dust = dustbin();
        for (int r = 0; r < rows; r++) logits[r * k + dust] += (float) correction;
    }

    /**
     * Initialises a specialist MLP from the generalist ("the specialist is initialized with the weights
     * of the generalist model"): both must have the same hidden layers, and the specialist's last Linear
     * layer size() outputs. Every Linear layer but the last is copied unchanged. Last layer (W: (OUT, H), b: (OUT)):
     * <pre>
     *   W^s_i = W^g_{S[i]},  b^s_i = b^g_{S[i]}                                    (i &lt; |S|)
     *   W^s_dust = (1/|D|) Σ_{j ∈ D} W^g_j,  b^s_dust = (1/|D|) Σ_{j ∈ D} b^g_j + log |D|   (D = classes not in S)
     * </pre>
     * so the dustbin logit starts at the mean logit of D plus log |D|, which is log Σ_{j∈D} exp(z_j) when
     * those logits are alike. Without biases (in both models) only the weights are set.
     */
    @SuppressWarnings("try") // the scope object only restores the grad mode on close
    public void initFrom(Sequential generalist, Sequential specialist) {
        List<Linear> from = generalist.linears(), to = specialist.linears();
        if (from.isEmpty()) throw new IllegalArgumentException("specialist.initFrom: the generalist has no Linear layer");
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("specialist.initFrom: the generalist has " + from.size() + " Linear layers, the specialist "
                    + to.size());
        }
        int last = from.size() - 1;
        for (int i = 0; i < last; i++) {
            Linear g = from.get(i), s = to.get(i);
            if (!Arrays.equals(g.weight.shape(), s.weight.shape()) || (g.bias == null) != (s.bias == null)) {
                throw new IllegalArgumentException("specialist.initFrom: hidden layer " + i + " differs: generalist " + g
                        + ", specialist " + s);
            }
        }
        Linear g = from.get(last), s = to.get(last);
        if (g.outFeatures() != totalClasses) {
            throw new IllegalArgumentException("specialist.initFrom: the generalist's last layer " + g + " has " + g.outFeatures()
                    + " outputs, not the " + totalClasses + " classes");
        }
        if (s.outFeatures() != size() || s.inFeatures() != g.inFeatures()) {
            throw new IllegalArgumentException("specialist.initFrom: the specialist's last layer is " + s + ", expected Linear("
                    + g.inFeatures() + " -> " + size() + ") (|S| = " + classes.length + " classes + the dustbin)");
        }
        if ((g.bias == null) != (s.bias == null)) {
            throw new IllegalArgumentException("specialist.initFrom: last layers differ in having a bias: generalist " + g + ", specialist " + s);
        }
        int h = g.inFeatures(), dust = dustbin(), others = totalClasses - classes.length;
        float[] wg = g.weight.data();
        float[] bg = g.bias == null ? null : g.bias.data();
        float[] w = new float[size() * h];
        float[] b = new float[size()];
        // W^s_i = W^g_{S[i]}, b^s_i = b^g_{S[i]}
        for (int i = 0; i < classes.length; i++) {
            System.arraycopy(wg, classes[i] * h, w, i * h, h);
            if (bg != null) b[i] = bg[classes[i]];
        }
        // W^s_dust = mean over D of W^g_j;  b^s_dust = mean over D of b^g_j + log |D|   (in double)
        double[] mw = new double[h];
        double mb = 0;
        for (int j = 0; j < totalClasses; j++) {
            if (local[j] != dust) continue;
            for (int t = 0; t < h; t++) mw[t] += wg[j * h + t];
            if (bg != null) mb += bg[j];
        }
        for (int t = 0; t < h; t++) w[dust * h + t] = (float) (mw[t] / others);
        b[dust] = (float) (mb / others + Math.log(others));
        try (var scope = Grad.disabled()) {
            for (int i = 0; i < last; i++) {
                Linear gi = from.get(i), si = to.get(i);
                si.weight.set(gi.weight.data());
                if (si.bias != null) si.bias.set(gi.bias.data());
            }
            s.weight.set(w);
            if (s.bias != null) s.bias.set(b);
        }
    }

    @Override
    public String toString() {
        return "Specialist(" + Arrays.toString(classes) + " of " + totalClasses + " + dustbin)";
    }
}
