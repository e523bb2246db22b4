package distill4j.engine.distill;

import java.util.Arrays;
import java.util.List;

/**
 * Combining a generalist with its specialists at test time (Hinton, Vinyals &amp; Dean 2015, §5.4,
 * eq. 5). For each test case:
 * <ol>
 *   <li>take the n most probable classes k of the generalist (n = topN; the paper uses n = 1);</li>
 *   <li>the active specialists A_k are those whose class set S_m meets k;</li>
 *   <li>find the full distribution q = softmax(z) over the C classes that minimises
 *   <pre>  O(q) = KL(p^g, q) + Σ_{m ∈ A_k} KL(p^m, q^m)                                  (eq. 5)  </pre>
 *   where q^m is q collapsed to specialist m's |S_m| + 1 classes (q on S_m, and the dustbin entry
 *   Q^m_dust = Σ_{j ∉ S_m} q_j), by descent on the logits z.</li>
 * </ol>
 * A case with no active specialist keeps p^g (the minimiser of KL(p^g, q) alone).
 *
 * <p>The gradient (with KL(p, q) = Σ_i p_i log p_i − Σ_i p_i log q_i and ∂ log q_i / ∂z_j = δ_ij − q_j):
 * <pre>
 *   ∂/∂z_j [−Σ_i p^g_i log q_i]                          = (Σ_i p^g_i) q_j − p^g_j
 *   ∂/∂z_j [−Σ_{i∈S} p^m_i log q_i − p^m_dust log Q_dust] = (Σ_l p^m_l) q_j − t^m_j,
 *        since ∂ log Q_dust / ∂z_j = [j ∉ S] q_j / Q_dust − q_j, with
 *        t^m_j = p^m_{local(j)} for j ∈ S_m,   t^m_j = p^m_dust · q_j / Q^m_dust for j ∉ S_m
 *   g_j = ∂O/∂z_j = (1 + |A_k|) q_j − p^g_j − Σ_{m ∈ A_k} t^m_j          (inputs that sum to 1)
 * </pre>
 * The code uses the row sums as they are (float inputs sum to 1 only to a few ulps), so g is the exact
 * gradient of the O that {@link #objective} evaluates; W = Σ p^g + Σ_m Σ p^m (= 1 + |A_k|) below.
 * O is convex in q, and g = 0 where
 * <pre>  q_j = q̃_j = (p^g_j + Σ_{m ∈ A_k} t^m_j) / W  </pre>
 * the average of the generalist's distribution and each specialist's, the specialist's dustbin mass
 * shared out over the classes it does not cover in proportion to q.
 *
 * <p>Two descents on z, both starting at z = log max(p^g, 1e-30) ({@link #LOG_FLOOR}) and both
 * stopping a row early once max_j |g_j| &lt; 1e-7 ({@link #GRADIENT_TOLERANCE}):
 * <ul>
 *   <li>{@link Update#GRADIENT}, the paper's method (it parameterises q = softmax(z) and runs gradient
 *   descent on the logits z, for each test case): z ← z − lr · g / (1 + |A_k|). The scaling makes lr
 *   independent of the number of active specialists: the Hessian of O in z is at most
 *   (1 + |A_k|)(diag q − q qᵀ) (each KL term's is at most diag q − q qᵀ times its mass), whose
 *   eigenvalues are at most (1 + |A_k|)/2 (Gershgorin: 2 q_j (1 − q_j) ≤ 1/2), so any lr &lt; 4 is
 *   stable. But along class j the curvature is about
 *   (1 + |A_k|) q_j, so a class of probability q_j needs about 1/(lr · q_j) steps: with realistic
 *   generalists (C = 10 to 100, 1 to 6 active specialists) 200 steps at lr = 1 leave errors
 *   max|q − q*| of 2e-3 to 1.4e-2, and 5000 steps still 1e-4 to 4e-4.</li>
 *   <li>{@link Update#EM}: z ← (1 − lr) z + lr · log q̃, i.e. for lr = 1 the fixed-point step q ← q̃.
 *   This is the EM algorithm for eq. 5 (each specialist's dustbin mass is the unobserved part, shared
 *   out as t^m in the E-step), so each step with lr = 1 lowers O, and it is the natural-gradient step
 *   on z: q̃ = q − g / W, Δz_j ≈ −g_j / (W q_j), the gradient divided by the Fisher information
 *   diag(q) − q qᵀ of the softmax. Its rate does not depend on q_j: with one active specialist the
 *   first step is exact (q̃ keeps p^g's proportions off S, which is the minimum); on the inputs of
 *   SpecialistCombinationTest it reached max|g| &lt; 1e-7 within 41 steps with 2 active specialists and
 *   within 150 steps with 6 overlapping ones, leaving max|q − q*| ≤ 2e-7.</li>
 * </ul>
 * The 4-argument constructor uses {@link Update#GRADIENT}; {@link #withDefaults} uses
 * {@link Update#EM} because 200 gradient steps do not reach the minimum. All in double, one row at a
 * time on flat arrays, with no allocation inside the descent loop.
 */
public final class SpecialistCombination {
    /** A row stops when max_j |∂O/∂z_j| falls below this. */
    public static final double GRADIENT_TOLERANCE = 1e-7;
    /** The floor under p^g before the log of the starting point z = log max(p^g, floor). */
    public static final double LOG_FLOOR = 1e-30;
    /** Defaults of {@link #withDefaults}. */
    public static final int DEFAULT_TOP_N = 1, DEFAULT_STEPS = 200;
    public static final double DEFAULT_LEARNING_RATE = 1.0;
    public static final Update DEFAULT_UPDATE = Update.EM;
    /** The floor under q̃ before its log in an {@link Update#EM} step (q̃ is 0 only where no model gives mass). */
    private static final double EM_FLOOR = 1e-300;

    /** The step on the logits z; g = ∂O/∂z, W = the total weight (1 + |A_k|), q̃ = q − g / W. */
    public enum Update {
        /** z ← z − lr · g / (1 + |A_k|): plain gradient descent, the paper's method; slow for small q_j. */
        GRADIENT,
        /** z ← (1 − lr) z + lr · log q̃: for lr = 1 the EM fixed-point step q ← q̃ (the natural-gradient step). */
        EM
    }

    private final List<Specialist> specialists;
    private final int classes;
    private final int topN;
    private final int steps;
    private final double learningRate;
    private final Update update;
    /** local[m * C + j] = specialist m's local index of class j (its dustbin when j ∉ S_m). */
    private final int[] local;
    private final int[] sizes;

    /**
     * @param specialists  the specialists, all over the same C classes
     * @param topN         how many of the generalist's most probable classes activate specialists
     * @param steps        gradient steps per test case (at most; a row stops once converged)
     * @param learningRate lr of the step z ← z − lr · g / (1 + |A_k|); stable for lr &lt; 4
     * @see Update#GRADIENT
     */
    public SpecialistCombination(List<Specialist> specialists, int topN, int steps, double learningRate) {
        this(specialists, topN, steps, learningRate, Update.GRADIENT);
    }

    /**
     * @param specialists  the specialists, all over the same C classes
     * @param topN         how many of the generalist's most probable classes activate specialists
     * @param steps        steps per test case (at most; a row stops once converged)
     * @param learningRate lr of the step (see {@link Update}); for {@link Update#EM}, lr = 1 is EM and
     *                     lowers O at every step, lr &lt; 1 damps it, lr &gt; 1 over-relaxes it (can be
     *                     faster, but is not guaranteed to lower O)
     * @param update       the step: {@link Update#GRADIENT} or {@link Update#EM}
     */
    public SpecialistCombination(List<Specialist> specialists, int topN, int steps, double learningRate, Update update) {
        if (specialists == null || specialists.isEmpty()) throw new IllegalArgumentException("specialist combination: no specialists");
        for (int m = 0; m < specialists.size(); m++) {
            if (specialists.get(m) == null) throw new IllegalArgumentException("specialist combination: specialist " + m + " is null");
        }
        this.specialists = List.copyOf(specialists);
        this.classes = this.specialists.get(0).totalClasses();
        for (int m = 1; m < this.specialists.size(); m++) {
            if (this.specialists.get(m).totalClasses() != classes) {
                throw new IllegalArgumentException("specialist combination: specialist " + m + " has " + this.specialists.get(m).totalClasses()
                        + " total classes, specialist 0 has " + classes);
            }
        }
        if (topN < 1 || topN > classes) throw new IllegalArgumentException("specialist combination: topN = " + topN + " not in 1.." + classes);
        if (steps < 1) throw new IllegalArgumentException("specialist combination: steps must be >= 1, got " + steps);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("specialist combination: learning rate must be finite and > 0, got " + learningRate);
        }
        this.topN = topN;
        this.steps = steps;
        this.learningRate = learningRate;
        if (update == null) throw new IllegalArgumentException("specialist combination: update is null (GRADIENT or EM)");
        this.update = update;
        this.local = localIndex(this.specialists, classes);
        this.sizes = new int[this.specialists.size()];
        for (int m = 0; m < sizes.length; m++) sizes[m] = this.specialists.get(m).size();
    }

    /**
     * topN {@value #DEFAULT_TOP_N} (the paper), at most {@value #DEFAULT_STEPS} steps of {@link Update#EM}
     * with lr 1.0. EM rather than the paper's plain gradient descent: on the realistic inputs of
     * SpecialistCombinationTest 200 gradient steps at lr 1 leave max|q − q*| of 2e-3 to 1.4e-2, while 200
     * EM steps leave at most 2e-7 (see the class comment).
     */
    public static SpecialistCombination withDefaults(List<Specialist> specialists) {
        return new SpecialistCombination(specialists, DEFAULT_TOP_N, DEFAULT_STEPS, DEFAULT_LEARNING_RATE, DEFAULT_UPDATE);
    }

    public List<Specialist> specialists() {
        return specialists;
    }

    public int topN() {
        return topN;
    }

    public int steps() {
        return steps;
    }

    public double learningRate() {
        return learningRate;
    }

    public Update update() {
        return update;
    }

    /**
     * Per row of p^g (rows, C): the indices into {@link #specialists()}, ascending, of the specialists whose
     * classes meet the generalist's topN most probable classes (ties to the lower class index).
     */
    public int[][] active(float[] generalistProbs, int rows) {
        checkGeneralist(generalistProbs, rows);
        int[][] out = new int[rows][];
        int[] top = new int[topN], scratch = new int[specialists.size()];
        boolean[] taken = new boolean[classes];
        for (int r = 0; r < rows; r++) out[r] = Arrays.copyOf(scratch, activeRow(generalistProbs, r, top, taken, scratch));
        return out;
    }

    /**
     * q (rows, C) minimising eq. 5 per row. generalistProbs: p^g (rows, C); specialistProbs.get(m):
     * p^m (rows, size_m), specialist m's probabilities on the same rows (dustbin-corrected and softmaxed
     * by the caller; only the rows where m is active are read). Rows without an active specialist return
     * p^g unchanged.
     */
    public float[] combine(float[] generalistProbs, List<float[]> specialistProbs, int rows) {
        checkGeneralist(generalistProbs, rows);
        checkSpecialists(specialistProbs, rows);
        int c = classes, nSpec = specialists.size();
        float[] out = new float[rows * c];
        int[] top = new int[topN], act = new int[nSpec];
        boolean[] taken = new boolean[c];
        double[] z = new double[c], q = new double[c], g = new double[c];
        for (int r = 0; r < rows; r++) {
            int nAct = activeRow(generalistProbs, r, top, taken, act);
            int off = r * c;
            if (nAct == 0) {
                System.arraycopy(generalistProbs, off, out, off, c);
                continue;
            }
            // start at z = log max(p^g, floor), i.e. q ≈ p^g
            for (int j = 0; j < c; j++) z[j] = Math.log(Math.max(generalistProbs[off + j], LOG_FLOOR));
            softmax(z, q, c);
            double scale = learningRate / (1 + nAct);
            double invW = 1 / totalWeight(generalistProbs, r, c, sizes, specialistProbs, act, nAct);
            for (int step = 0; step < steps; step++) {
                double gMax = gradient(generalistProbs, r, c, local, sizes, specialistProbs, act, nAct, q, g);
                if (gMax < GRADIENT_TOLERANCE) break;
                if (update == Update.GRADIENT) {
                    // z ← z − lr · g / (1 + |A_k|)
                    for (int j = 0; j < c; j++) z[j] -= scale * g[j];
                } else {
                    // z ← (1 − lr) z + lr · log q̃,  q̃_j = q_j − g_j / W = (p^g_j + Σ_m t^m_j) / W
                    for (int j = 0; j < c; j++) z[j] = (1 - learningRate) * z[j] + learningRate * Math.log(Math.max(q[j] - g[j] * invW, EM_FLOOR));
                }
                softmax(z, q, c);
            }
            for (int j = 0; j < c; j++) out[off + j] = (float) q[j];
        }
        return out;
    }

    /**
     * The eq. 5 objective of one row at a distribution q (C values):
     * KL(p^g, q) + Σ_{m ∈ active} KL(p^m, q^m), with 0 · log 0 = 0 (and +∞ where q^m is 0 under a
     * positive p^m). pg is (rows, C), specialistProbs.get(m) is (rows, size_m); {@code active} indexes
     * {@code specialists}. In double.
     */
    public static double objective(float[] pg, int row, List<Specialist> specialists, List<float[]> specialistProbs, int[] active, double[] q) {
        int c = checkStatic("objective", pg, row, specialists, specialistProbs, active, q);
        double o = 0;
        int off = row * c;
        // KL(p^g, q) = Σ_j p^g_j (log p^g_j − log q_j)
        for (int j = 0; j < c; j++) o += klTerm(pg[off + j], q[j]);
        for (int m : active) {
            Specialist s = specialists.get(m);
            float[] pm = specialistProbs.get(m);
            int k = s.size(), dust = s.dustbin();
            int[] cls = s.classes();
            // q^m_i = q_{S[i]},  q^m_dust = Σ_{j ∉ S} q_j
            double qDust = 0;
            for (int j = 0; j < c; j++) if (!s.covers(j)) qDust += q[j];
            for (int i = 0; i < cls.length; i++) o += klTerm(pm[row * k + i], q[cls[i]]);
            o += klTerm(pm[row * k + dust], qDust);
        }
        return o;
    }

    /**
     * ∂O/∂z_j of one row at q = softmax(z) (C values), the gradient {@link #combine} descends (see the
     * class comment): (Σ p^g) q_j − p^g_j + Σ_{m ∈ active} ((Σ p^m) q_j − t^m_j). In double.
     */
    public static double[] gradient(float[] pg, int row, List<Specialist> specialists, List<float[]> specialistProbs, int[] active, double[] q) {
        int c = checkStatic("gradient", pg, row, specialists, specialistProbs, active, q);
        int[] sizes = new int[specialists.size()];
        for (int m = 0; m < sizes.length; m++) sizes[m] = specialists.get(m).size();
        double[] g = new double[c];
        gradient(pg, row, c, localIndex(specialists, c), sizes, specialistProbs, active, active.length, q, g);
        return g;
    }

    // ------------------------------------------------------------------ kernels

    /** p log(p / q) with 0 log 0 = 0. */
    private static double klTerm(double p, double q) {
        if (p == 0) return 0;
        return p * (Math.log(p) - Math.log(q));
    }

    /**
     * g (C) = ∂O/∂z at q for one row, the specialists active[0..nActive). Returns max_j |g_j|.
     * pg (rows, C), specialistProbs.get(m) (rows, sizes[m]), local (M, C).
     */
    private static double gradient(float[] pg, int row, int c, int[] local, int[] sizes, List<float[]> specialistProbs,
                                   int[] active, int nActive, double[] q, double[] g) {
        int off = row * c;
        // generalist: g_j = (Σ p^g) q_j − p^g_j
        double sg = 0;
        for (int j = 0; j < c; j++) sg += pg[off + j];
        for (int j = 0; j < c; j++) g[j] = sg * q[j] - pg[off + j];
        for (int a = 0; a < nActive; a++) {
            int m = active[a];
            float[] pm = specialistProbs.get(m);
            int k = sizes[m], d = k - 1, pOff = row * k, lOff = m * c;
            // Q^m_dust = Σ_{j ∉ S_m} q_j
            double qDust = 0, sm = 0;
            for (int j = 0; j < c; j++) if (local[lOff + j] == d) qDust += q[j];
            for (int l = 0; l < k; l++) sm += pm[pOff + l];
            double pDust = pm[pOff + d];
            // t^m_j = p^m_dust · q_j / Q^m_dust off S_m; if Q^m_dust underflowed to 0, share p^m_dust evenly
            double ratio = qDust > 0 ? pDust / qDust : 0;
            double even = qDust > 0 ? 0 : pDust / (c - (k - 1));
            for (int j = 0; j < c; j++) {
                int l = local[lOff + j];
                double t = l == d ? ratio * q[j] + even : pm[pOff + l];
                // g_j += (Σ p^m) q_j − t^m_j
                g[j] += sm * q[j] - t;
            }
        }
        double max = 0;
        for (int j = 0; j < c; j++) max = Math.max(max, Math.abs(g[j]));
        return max;
    }

    /** W = Σ_j p^g_j + Σ_{m ∈ active} Σ_l p^m_l (1 + |A_k| for inputs that sum to 1). */
    private static double totalWeight(float[] pg, int row, int c, int[] sizes, List<float[]> specialistProbs, int[] active, int nActive) {
        double w = 0;
        for (int j = 0; j < c; j++) w += pg[row * c + j];
        for (int a = 0; a < nActive; a++) {
            int m = active[a];
            float[] pm = specialistProbs.get(m);
            for (int l = 0; l < sizes[m]; l++) w += pm[row * sizes[m] + l];
        }
        return w;
    }

    /** q = softmax(z), max-subtracted, in double. */
    private static void softmax(double[] z, double[] q, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) max = Math.max(max, z[j]);
        double s = 0;
        for (int j = 0; j < c; j++) {
            q[j] = Math.exp(z[j] - max);
            s += q[j];
        }
        double inv = 1 / s;
        for (int j = 0; j < c; j++) q[j] *= inv;
    }

    /**
     * Writes the active specialists of row r into active[0..n) and returns n; top (topN) and taken (C,
     * all false on entry and on return) are scratch.
     */
    private int activeRow(float[] pg, int r, int[] top, boolean[] taken, int[] active) {
        int c = classes, off = r * c;
        // top-n by selection: n passes, each taking the largest class not taken yet (lowest index on ties)
        for (int t = 0; t < topN; t++) {
            int best = -1;
            for (int j = 0; j < c; j++) {
                if (!taken[j] && (best < 0 || pg[off + j] > pg[off + best])) best = j;
            }
            top[t] = best;
            taken[best] = true;
        }
        for (int t = 0; t < topN; t++) taken[top[t]] = false;
        int n = 0;
        for (int m = 0; m < sizes.length; m++) {
            int d = sizes[m] - 1;
            for (int t = 0; t < topN; t++) {
                if (local[m * c + top[t]] != d) {
                    active[n++] = m;
                    break;
                }
            }
        }
        return n;
    }

    private static int[] localIndex(List<Specialist> specialists, int c) {
        int[] local = new int[specialists.size() * c];
        for (int m = 0; m < specialists.size(); m++) {
            Specialist s = specialists.get(m);
            for (int j = 0; j < c; j++) local[m * c + j] = s.localLabel(j);
        }
        return local;
    }

    private void checkGeneralist(float[] pg, int rows) {
        if (pg == null) throw new IllegalArgumentException("specialist combination: generalist probabilities are null");
        if (rows < 0 || pg.length != (long) rows * classes) {
            throw new IllegalArgumentException("specialist combination: generalist probabilities of length " + pg.length + " are not ("
                    + rows + ", " + classes + ")");
        }
    }

    private void checkSpecialists(List<float[]> specialistProbs, int rows) {
        if (specialistProbs == null || specialistProbs.size() != specialists.size()) {
            throw new IllegalArgumentException("specialist combination: " + (specialistProbs == null ? "no" : specialistProbs.size())
                    + " specialist probability arrays for " + specialists.size() + " specialists");
        }
        for (int m = 0; m < sizes.length; m++) {
            float[] pm = specialistProbs.get(m);
            if (pm == null || pm.length != (long) rows * sizes[m]) {
                throw new IllegalArgumentException("specialist combination: specialist " + m + "'s probabilities of length "
                        + (pm == null ? "null" : pm.length) + " are not (" + rows + ", " + sizes[m] + ")");
            }
        }
    }

    /** Checks the arguments of {@link #objective} / {@link #gradient}; returns C. */
    private static int checkStatic(String op, float[] pg, int row, List<Specialist> specialists, List<float[]> specialistProbs,
                                   int[] active, double[] q) {
        if (specialists == null || specialists.isEmpty()) throw new IllegalArgumentException(op + ": no specialists");
        int c = specialists.get(0).totalClasses();
        for (Specialist s : specialists) {
            if (s.totalClasses() != c) throw new IllegalArgumentException(op + ": specialists over " + c + " and " + s.totalClasses() + " classes");
        }
        if (q == null || q.length != c) throw new IllegalArgumentException(op + ": q has " + (q == null ? "no" : q.length) + " values for " + c + " classes");
        if (pg == null || pg.length % c != 0 || row < 0 || (long) (row + 1) * c > pg.length) {
            throw new IllegalArgumentException(op + ": row " + row + " is not in generalist probabilities of length "
                    + (pg == null ? "null" : pg.length) + " with " + c + " classes");
        }
        int rows = pg.length / c;
        if (specialistProbs == null || specialistProbs.size() != specialists.size()) {
            throw new IllegalArgumentException(op + ": " + (specialistProbs == null ? "no" : specialistProbs.size())
                    + " specialist probability arrays for " + specialists.size() + " specialists");
        }
        if (active == null) throw new IllegalArgumentException(op + ": active is null");
        for (int m : active) {
            if (m < 0 || m >= specialists.size()) throw new IllegalArgumentException(op + ": active specialist " + m + " not in 0.." + (specialists.size() - 1));
            float[] pm = specialistProbs.get(m);
            int k = specialists.get(m).size();
            if (pm == null || pm.length != (long) rows * k) {
                throw new IllegalArgumentException(op + ": specialist " + m + "'s probabilities of length " + (pm == null ? "null" : pm.length)
                        + " are not (" + rows + ", " + k + ")");
            }
        }
        return c;
    }
}
