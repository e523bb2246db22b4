package distill4j.engine.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.engine.Tensor;
import distill4j.engine.distill.SpecialistCombination.Update;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link SpecialistCombination}, eq. 5: the minimiser against an independent Nelder–Mead minimisation
 * of the objective, the gradient against float64 central differences, the closed form with one active
 * specialist, convergence of the defaults on realistic inputs, the active sets, and the checks.
 */
class SpecialistCombinationTest {
    static final long SEED = 1503025311L;
    /** q against an independent minimiser in double; combine's q is float32 (≈ 6e-8 relative). */
    static final double Q_ATOL = 1e-6, Q_RTOL = 1e-5;
    /** The objective at combine's q may exceed the direct minimum by this much. */
    static final double OBJECTIVE_SLACK = 1e-9;
    /** Central differences in double with h = 1e-5: truncation O(h²) and rounding O(ε/h). */
    static final double FD_ATOL = 1e-8, FD_RTOL = 1e-6, FD_H = 1e-5;
    /**
     * The default's q against the converged minimum on realistic inputs: it stops at max|g| &lt; 1e-7 and
     * returns float32; measured ≤ 2e-7.
     */
    static final double DEFAULT_Q_ATOL = 1e-6;

    static void assertThrowsSaying(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        if (!e.getMessage().contains(fragment)) fail("message '" + e.getMessage() + "' does not say '" + fragment + "'");
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY, s = 0;
        for (double v : z) max = Math.max(max, v);
        double[] q = new double[z.length];
        for (int j = 0; j < z.length; j++) s += q[j] = Math.exp(z[j] - max);
        for (int j = 0; j < z.length; j++) q[j] /= s;
        return q;
    }

    /** Row r of a float (rows, c) array, renormalised in double (float rounding leaves the sum 1 ± 1e-7). */
    static double[] row(float[] a, int r, int c) {
        double[] q = new double[c];
        double s = 0;
        for (int j = 0; j < c; j++) s += q[j] = a[r * c + j];
        for (int j = 0; j < c; j++) q[j] /= s;
        return q;
    }

    static float[] normalised(double... w) {
        double s = 0;
        for (double v : w) s += v;
        float[] p = new float[w.length];
        for (int i = 0; i < w.length; i++) p[i] = (float) (w[i] / s);
        return p;
    }

    static float[] concat(float[]... rows) {
        int n = 0;
        for (float[] r : rows) n += r.length;
        float[] out = new float[n];
        int o = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, out, o, r.length);
            o += r.length;
        }
        return out;
    }

    // ------------------------------------------------------------------ (a) no active specialist

    @Test
    void rowsWithoutAnActiveSpecialistKeepTheGeneralist() {
        int c = 6;
        List<Specialist> sp = List.of(new Specialist(c, new int[] {0, 1}), new Specialist(c, new int[] {2}));
        float[] pg = concat(normalised(1, 2, 1, 1, 6, 1), normalised(1, 1, 1, 1, 1, 3), normalised(1, 5, 1, 1, 1, 1));
        List<float[]> pm = List.of(concat(normalised(1, 1, 1), normalised(1, 1, 1), normalised(6, 1, 1)), concat(normalised(1, 1), normalised(1, 1), normalised(1, 1)));
        for (SpecialistCombination comb : List.of(SpecialistCombination.withDefaults(sp), new SpecialistCombination(sp, 1, 50, 1.0))) {
            float[] q = comb.combine(pg, pm, 3);
            assertArrayEquals(Arrays.copyOfRange(pg, 0, 2 * c), Arrays.copyOfRange(q, 0, 2 * c), "rows 0 and 1 (top classes 4 and 5) are p^g, bit for bit");
            assertTrue(Math.abs(q[2 * c + 0] - pg[2 * c + 0]) > 1e-3, "row 2 (top class 1) is changed by specialist 0");
        }
    }

    // ------------------------------------------------------------------ (b) against a direct minimisation

    /** C = 5; specialists {0, 1} and {1, 2} overlap, {3} is disjoint from both. */
    static final int HC = 5;
    static final List<Specialist> HAND = List.of(new Specialist(HC, new int[] {0, 1}), new Specialist(HC, new int[] {1, 2}), new Specialist(HC, new int[] {3}));
    /** Four rows: top class 1 (specialists 0, 1), top-2 {1, 3} (all three), top class 3 (2), top class 0 (0). */
    static final float[] HAND_PG = concat(normalised(0.10, 0.45, 0.20, 0.15, 0.10), normalised(0.10, 0.40, 0.05, 0.30, 0.15),
            normalised(0.20, 0.10, 0.10, 0.50, 0.10), normalised(0.60, 0.25, 0.05, 0.05, 0.05));
    static final List<float[]> HAND_PM = List.of(
            concat(normalised(0.10, 0.70, 0.20), normalised(0.05, 0.55, 0.40), normalised(0.3, 0.3, 0.4), normalised(0.30, 0.50, 0.20)),
            concat(normalised(0.60, 0.05, 0.35), normalised(0.50, 0.00, 0.50), normalised(0.2, 0.2, 0.6), normalised(0.45, 0.05, 0.50)),
            concat(normalised(0.20, 0.80), normalised(0.60, 0.40), normalised(0.90, 0.10), normalised(0.02, 0.98)));

    /** O(softmax(z)) of a row, z_0 fixed at 0 and z_1..z_{C−1} free. */
    static double objectiveAt(double[] free, float[] pg, int r, List<Specialist> sp, List<float[]> pm, int[] act) {
        double[] z = new double[free.length + 1];
        System.arraycopy(free, 0, z, 1, free.length);
        return SpecialistCombination.objective(pg, r, sp, pm, act, softmax(z));
    }

    /**
     * Nelder–Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2), restarted from its best
     * point with a fresh simplex until a restart no longer improves: uses only objective values.
     */
    static double[] nelderMead(java.util.function.ToDoubleFunction<double[]> f, double[] start) {
        int d = start.length;
        double[] best = start.clone();
        double bestF = f.applyAsDouble(best);
        for (int restart = 0; restart < 50; restart++) {
            double[][] x = new double[d + 1][];
            double[] fx = new double[d + 1];
            for (int i = 0; i <= d; i++) {
                x[i] = best.clone();
                if (i > 0) x[i][i - 1] += restart == 0 ? 0.5 : 1e-3;
                fx[i] = f.applyAsDouble(x[i]);
            }
            for (int it = 0; it < 20000; it++) {
                // order: x[0] best, x[d] worst
                for (int i = 1; i <= d; i++) {
                    for (int k = i; k > 0 && fx[k] < fx[k - 1]; k--) {
                        double[] tx = x[k]; x[k] = x[k - 1]; x[k - 1] = tx;
                        double tf = fx[k]; fx[k] = fx[k - 1]; fx[k - 1] = tf;
                    }
                }
                if (fx[d] - fx[0] < 1e-17) break;
                double[] centre = new double[d];
                for (int i = 0; i < d; i++) for (int t = 0; t < d; t++) centre[t] += x[i][t] / d;
                double[] xr = new double[d], xe = new double[d], xc = new double[d];
                for (int t = 0; t < d; t++) xr[t] = centre[t] + (centre[t] - x[d][t]);
                double fr = f.applyAsDouble(xr);
                if (fr < fx[0]) {
                    for (int t = 0; t < d; t++) xe[t] = centre[t] + 2 * (centre[t] - x[d][t]);
                    double fe = f.applyAsDouble(xe);
                    if (fe < fr) { x[d] = xe; fx[d] = fe; } else { x[d] = xr; fx[d] = fr; }
                } else if (fr < fx[d - 1]) {
                    x[d] = xr;
                    fx[d] = fr;
                } else {
                    boolean outside = fr < fx[d];
                    for (int t = 0; t < d; t++) xc[t] = outside ? centre[t] + 0.5 * (xr[t] - centre[t]) : centre[t] + 0.5 * (x[d][t] - centre[t]);
                    double fc = f.applyAsDouble(xc);
                    if (fc < Math.min(fr, fx[d])) {
                        x[d] = xc;
                        fx[d] = fc;
                    } else {
                        for (int i = 1; i <= d; i++) {
                            for (int t = 0; t < d; t++) x[i][t] = x[0][t] + 0.5 * (x[i][t] - x[0][t]);
                            fx[i] = f.applyAsDouble(x[i]);
                        }
                    }
                }
            }
            int b = 0;
            for (int i = 1; i <= d; i++) if (fx[i] < fx[b]) b = i;
            boolean improved = fx[b] < bestF - 1e-16;
            if (fx[b] < bestF) {
                bestF = fx[b];
                best = x[b];
            }
            if (restart > 0 && !improved) break;
        }
        return best;
    }

    @Test
    void combineEqualsADirectMinimisationOfTheObjective() {
        int rows = 4;
        SpecialistCombination defaults = SpecialistCombination.withDefaults(HAND);
        SpecialistCombination top2 = new SpecialistCombination(HAND, 2, SpecialistCombination.DEFAULT_STEPS, 1.0, Update.EM);
        // the paper's plain gradient descent needs more steps (see the class comment); with 20000 it is there too
        SpecialistCombination gradient = new SpecialistCombination(HAND, 2, 20000, 1.0);
        float[] qDefault = defaults.combine(HAND_PG, HAND_PM, rows), qTop2 = top2.combine(HAND_PG, HAND_PM, rows),
                qGradient = gradient.combine(HAND_PG, HAND_PM, rows);
        int[][] act1 = defaults.active(HAND_PG, rows), act2 = top2.active(HAND_PG, rows);
        assertArrayEquals(new int[][] {{0, 1}, {0, 1}, {2}, {0}}, act1);
        assertArrayEquals(new int[][] {{0, 1}, {0, 1, 2}, {0, 2}, {0, 1}}, act2);
        for (int r = 0; r < rows; r++) {
            for (int[][] act : List.of(act1, act2)) {
                final int[] a = act[r];
                final int row = r;
                double[] zFree = nelderMead(v -> objectiveAt(v, HAND_PG, row, HAND, HAND_PM, a), new double[HC - 1]);
                double[] z = new double[HC];
                System.arraycopy(zFree, 0, z, 1, HC - 1);
                double[] direct = softmax(z);
                double min = SpecialistCombination.objective(HAND_PG, r, HAND, HAND_PM, a, direct);
                List<float[]> results = act == act1 ? List.of(qDefault) : List.of(qTop2, qGradient);
                for (float[] q : results) {
                    String what = "row " + r + ", active " + Arrays.toString(a) + (q == qGradient ? ", gradient descent" : ", EM");
                    double[] mine = row(q, r, HC);
                    for (int j = 0; j < HC; j++) {
                        assertEquals(direct[j], mine[j], Q_ATOL + Q_RTOL * direct[j], what + ", q_" + j + " (direct " + Arrays.toString(direct) + ")");
                    }
                    double o = SpecialistCombination.objective(HAND_PG, r, HAND, HAND_PM, a, mine);
                    assertTrue(o <= min + OBJECTIVE_SLACK, what + ": objective " + o + " above the direct minimum " + min);
                }
            }
        }
    }

    // ------------------------------------------------------------------ (c) the gradient

    @Test
    void gradientEqualsCentralDifferencesOfTheObjective() {
        SplittableRandom r = new SplittableRandom(SEED);
        int c = 7, rows = 3;
        List<Specialist> sp = List.of(new Specialist(c, new int[] {0, 1, 2}), new Specialist(c, new int[] {2, 3}), new Specialist(c, new int[] {5}),
                new Specialist(c, new int[] {1, 4, 5, 6}));
        float[] pg = new float[rows * c];
        for (int i = 0; i < rows; i++) {
            double[] w = new double[c];
            for (int j = 0; j < c; j++) w[j] = r.nextDouble();
            System.arraycopy(normalised(w), 0, pg, i * c, c);
        }
        List<float[]> pm = new ArrayList<>();
        for (Specialist s : sp) {
            float[] p = new float[rows * s.size()];
            for (int i = 0; i < rows; i++) {
                double[] w = new double[s.size()];
                for (int l = 0; l < w.length; l++) w[l] = i == 1 && l == 0 ? 0 : r.nextDouble(); // a zero: 0 · log 0 = 0
                System.arraycopy(normalised(w), 0, p, i * s.size(), s.size());
            }
            pm.add(p);
        }
        int[][] actives = {{0, 1, 2, 3}, {1, 3}, {2}, {}};
        for (int i = 0; i < rows; i++) {
            for (int[] act : actives) {
                double[] z = new double[c];
                for (int j = 0; j < c; j++) z[j] = r.nextGaussian() * 1.5;
                double[] g = SpecialistCombination.gradient(pg, i, sp, pm, act, softmax(z));
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    double[] up = z.clone(), down = z.clone();
                    up[j] += FD_H;
                    down[j] -= FD_H;
                    double fd = (SpecialistCombination.objective(pg, i, sp, pm, act, softmax(up))
                            - SpecialistCombination.objective(pg, i, sp, pm, act, softmax(down))) / (2 * FD_H);
                    assertEquals(fd, g[j], FD_ATOL + FD_RTOL * Math.abs(fd), "row " + i + ", active " + Arrays.toString(act) + ", ∂O/∂z_" + j + " (seed " + SEED + ")");
                    sum += g[j];
                }
                assertEquals(0.0, sum, 1e-6, "the gradient of a softmax-parameterised objective sums to ~0 (inputs sum to 1 ± float rounding)");
            }
        }
    }

    // ------------------------------------------------------------------ (d) agreement gives p^g

    @Test
    void specialistsThatAgreeWithTheGeneralistGiveTheGeneralist() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        int c = 6, rows = 5;
        float[] pg = new float[rows * c];
        for (int i = 0; i < rows; i++) {
            double[] w = new double[c];
            for (int j = 0; j < c; j++) w[j] = Math.exp(2 * r.nextGaussian());
            System.arraycopy(normalised(w), 0, pg, i * c, c);
        }
        Tensor pgT = Tensor.of(pg, rows, c);
        // one specialist covering all classes but class 5; then several whose collapse of p^g is their output
        List<List<Specialist>> cases = List.of(List.of(new Specialist(c, new int[] {0, 1, 2, 3, 4})),
                List.of(new Specialist(c, new int[] {0, 1, 2, 3, 4}), new Specialist(c, new int[] {1, 3}), new Specialist(c, new int[] {5}),
                        new Specialist(c, new int[] {0, 2, 4, 5})));
        for (List<Specialist> sp : cases) {
            List<float[]> pm = new ArrayList<>();
            for (Specialist s : sp) pm.add(s.collapse(pgT).data());
            for (SpecialistCombination comb : List.of(SpecialistCombination.withDefaults(sp), new SpecialistCombination(sp, 3, 200, 1.0),
                    new SpecialistCombination(sp, 3, 200, 1.0, Update.EM))) {
                float[] q = comb.combine(pg, pm, rows);
                for (int i = 0; i < rows * c; i++) {
                    assertEquals(pg[i], q[i], 1e-6, "element " + i + ", " + sp.size() + " specialists, " + comb.update() + " (seed " + (SEED + 1) + ")");
                }
            }
        }
    }

    // ------------------------------------------------------------------ realistic inputs: the defaults reach the minimum

    /**
     * A generalist over C = 20 classes in 5 confusable groups of 4 (peaked, confusing classes of a
     * group), specialists whose outputs disagree with it (perturbed logits, collapsed), partition and
     * overlapping class sets.
     */
    static final class Realistic {
        final int c = 20, rows = 150;
        final float[] pg;
        final List<Specialist> sp = new ArrayList<>();
        final List<float[]> pm = new ArrayList<>();

        Realistic(long seed, boolean overlapping) {
            SplittableRandom r = new SplittableRandom(seed);
            for (int g = 0; g < 5; g++) sp.add(new Specialist(c, new int[] {4 * g, 4 * g + 1, 4 * g + 2, 4 * g + 3}));
            if (overlapping) for (int g = 0; g < 5; g++) sp.add(new Specialist(c, new int[] {4 * g + 2, 4 * g + 3, (4 * g + 4) % c, (4 * g + 5) % c}));
            double[] zg = new double[rows * c];
            double[][] zm = new double[sp.size()][rows * c];
            for (int i = 0; i < rows; i++) {
                int y = r.nextInt(c);
                for (int j = 0; j < c; j++) zg[i * c + j] = 1.5 * r.nextGaussian() + (j == y ? 4 : 0) + (j / 4 == y / 4 ? 2 : 0);
                for (int m = 0; m < sp.size(); m++) for (int j = 0; j < c; j++) zm[m][i * c + j] = zg[i * c + j] + r.nextGaussian() + (j == y ? 1.5 : 0);
            }
            pg = Tensor.of(toFloat(zg), rows, c).softmax(1).data();
            for (int m = 0; m < sp.size(); m++) pm.add(sp.get(m).collapse(Tensor.of(toFloat(zm[m]), rows, c).softmax(1)).data());
        }

        static float[] toFloat(double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
            return f;
        }
    }

    /**
     * The minimum of one row by the fixed-point iteration q ← (p^g + Σ_m t^m(q)) / W (the KKT condition of
     * eq. 5 on the simplex), written here independently and run until q stops changing; then checked to
     * be a stationary point with the class's gradient.
     */
    static double[] converged(float[] pg, int r, List<Specialist> sp, List<float[]> pm, int[] act, int c) {
        double[] q = row(pg, r, c), next = new double[c];
        for (int it = 0; it < 100_000; it++) {
            for (int j = 0; j < c; j++) next[j] = pg[r * c + j];
            for (int m : act) {
                Specialist s = sp.get(m);
                int k = s.size();
                double qd = 0;
                for (int j = 0; j < c; j++) if (!s.covers(j)) qd += q[j];
                for (int j = 0; j < c; j++) next[j] += s.covers(j) ? pm.get(m)[r * k + s.localLabel(j)] : pm.get(m)[r * k + s.dustbin()] * q[j] / qd;
            }
            double sum = 0, change = 0;
            for (int j = 0; j < c; j++) sum += next[j];
            for (int j = 0; j < c; j++) {
                change = Math.max(change, Math.abs(next[j] / sum - q[j]));
                q[j] = next[j] / sum;
            }
            if (change < 1e-15) break;
        }
        double[] g = SpecialistCombination.gradient(pg, r, sp, pm, act, q);
        for (int j = 0; j < c; j++) assertEquals(0.0, g[j], 1e-12, "reference of row " + r + " is stationary at class " + j);
        return q;
    }

    @Test
    void defaultsReachTheMinimumOnRealisticInputs() {
        for (boolean overlapping : new boolean[] {false, true}) {
            Realistic x = new Realistic(SEED + 2, overlapping);
            for (int topN : new int[] {1, 2, 3}) {
                SpecialistCombination defaults = new SpecialistCombination(x.sp, topN, SpecialistCombination.DEFAULT_STEPS,
                        SpecialistCombination.DEFAULT_LEARNING_RATE, SpecialistCombination.DEFAULT_UPDATE);
                SpecialistCombination paper = new SpecialistCombination(x.sp, topN, SpecialistCombination.DEFAULT_STEPS, 1.0);
                float[] q = defaults.combine(x.pg, x.pm, x.rows), qPaper = paper.combine(x.pg, x.pm, x.rows);
                int[][] act = defaults.active(x.pg, x.rows);
                double worst = 0, worstPaper = 0, worstGap = 0;
                for (int r = 0; r < x.rows; r++) {
                    double[] ref = converged(x.pg, r, x.sp, x.pm, act[r], x.c), mine = row(q, r, x.c), theirs = row(qPaper, r, x.c);
                    for (int j = 0; j < x.c; j++) {
                        worst = Math.max(worst, Math.abs(mine[j] - ref[j]));
                        worstPaper = Math.max(worstPaper, Math.abs(theirs[j] - ref[j]));
                    }
                    worstGap = Math.max(worstGap, SpecialistCombination.objective(x.pg, r, x.sp, x.pm, act[r], mine)
                            - SpecialistCombination.objective(x.pg, r, x.sp, x.pm, act[r], ref));
                }
                String what = (overlapping ? "overlapping" : "partition") + ", topN " + topN + " (seed " + (SEED + 2) + ")";
                assertTrue(worst <= DEFAULT_Q_ATOL, what + ": defaults leave max|q − q*| = " + worst);
                assertTrue(worstGap <= OBJECTIVE_SLACK, what + ": defaults leave an objective gap of " + worstGap);
                // why the default is EM: 200 steps of the paper's gradient descent stop well short (see the class comment)
                assertTrue(worstPaper > 100 * DEFAULT_Q_ATOL, what + ": 200 gradient steps reached " + worstPaper);
            }
        }
    }

    /** One active specialist: the minimum in closed form, q_j = (p^g_j + p^m_j)/2 on S, q_j = p^g_j (P_D + p^m_dust)/(2 P_D) off S. */
    @Test
    void oneActiveSpecialistMatchesTheClosedForm() {
        Realistic x = new Realistic(SEED + 3, false);
        SpecialistCombination comb = SpecialistCombination.withDefaults(x.sp);
        float[] q = comb.combine(x.pg, x.pm, x.rows);
        int[][] act = comb.active(x.pg, x.rows);
        for (int r = 0; r < x.rows; r++) {
            assertEquals(1, act[r].length, "a partition and topN 1: one active specialist");
            Specialist s = x.sp.get(act[r][0]);
            float[] pm = x.pm.get(act[r][0]);
            double pD = 0;
            for (int j = 0; j < x.c; j++) if (!s.covers(j)) pD += x.pg[r * x.c + j];
            double dust = pm[r * s.size() + s.dustbin()];
            for (int j = 0; j < x.c; j++) {
                double pgj = x.pg[r * x.c + j];
                double expected = s.covers(j) ? (pgj + pm[r * s.size() + s.localLabel(j)]) / 2 : pgj * (pD + dust) / (2 * pD);
                assertEquals(expected, q[r * x.c + j], Q_ATOL + Q_RTOL * expected, "row " + r + " class " + j + " (seed " + (SEED + 3) + ")");
            }
        }
    }

    // ------------------------------------------------------------------ (e) active specialists

    @Test
    void activeSpecialistsAreThoseMeetingTheTopClasses() {
        int c = 6;
        List<Specialist> sp = List.of(new Specialist(c, new int[] {0, 1}), new Specialist(c, new int[] {1, 2}), new Specialist(c, new int[] {3}),
                new Specialist(c, new int[] {4, 5}));
        float[] pg = concat(normalised(0.1, 0.5, 0.1, 0.2, 0.05, 0.05), // top 1, then 3
                normalised(0.1, 0.1, 0.3, 0.05, 0.4, 0.05),                  // top 4, then 2
                normalised(0.3, 0.05, 0.05, 0.05, 0.3, 0.25),                // tie 0 / 4: the lower index first
                normalised(0.05, 0.05, 0.05, 0.6, 0.2, 0.05));               // top 3, then 4
        SpecialistCombination one = new SpecialistCombination(sp, 1, 10, 1.0), two = new SpecialistCombination(sp, 2, 10, 1.0);
        assertArrayEquals(new int[][] {{0, 1}, {3}, {0}, {2}}, one.active(pg, 4));
        assertArrayEquals(new int[][] {{0, 1, 2}, {1, 3}, {0, 3}, {2, 3}}, two.active(pg, 4));
        assertArrayEquals(new int[][] {{0, 1, 2, 3}}, new SpecialistCombination(sp, c, 10, 1.0).active(Arrays.copyOf(pg, c), 1));
        assertEquals(0, one.active(new float[0], 0).length);
    }

    // ------------------------------------------------------------------ (f) checks

    @Test
    void badInputsAreRejected() {
        int c = 5;
        List<Specialist> sp = List.of(new Specialist(c, new int[] {0, 1}), new Specialist(c, new int[] {3}));
        assertThrowsSaying("no specialists", () -> SpecialistCombination.withDefaults(List.of()));
        assertThrowsSaying("no specialists", () -> new SpecialistCombination(null, 1, 10, 1.0));
        assertThrowsSaying("specialist 1 has 6 total classes", () -> SpecialistCombination.withDefaults(List.of(sp.get(0), new Specialist(6, new int[] {2}))));
        assertThrowsSaying("specialist 1 is null", () -> SpecialistCombination.withDefaults(Arrays.asList(sp.get(0), null)));
        assertThrowsSaying("topN = 0", () -> new SpecialistCombination(sp, 0, 10, 1.0));
        assertThrowsSaying("topN = 6", () -> new SpecialistCombination(sp, 6, 10, 1.0));
        assertThrowsSaying("steps must be >= 1, got 0", () -> new SpecialistCombination(sp, 1, 0, 1.0));
        assertThrowsSaying("got 0.0", () -> new SpecialistCombination(sp, 1, 10, 0.0));
        assertThrowsSaying("got NaN", () -> new SpecialistCombination(sp, 1, 10, Double.NaN));
        assertThrowsSaying("got Infinity", () -> new SpecialistCombination(sp, 1, 10, Double.POSITIVE_INFINITY));
        assertThrowsSaying("update is null", () -> new SpecialistCombination(sp, 1, 10, 1.0, null));
        SpecialistCombination comb = SpecialistCombination.withDefaults(sp);
        float[] pg = concat(normalised(1, 2, 3, 4, 5), normalised(5, 4, 3, 2, 1));
        List<float[]> pm = List.of(concat(normalised(1, 1, 1), normalised(1, 1, 1)), concat(normalised(1, 1), normalised(1, 1)));
        assertThrowsSaying("length 10 are not (3, 5)", () -> comb.active(pg, 3));
        assertThrowsSaying("length 10 are not (3, 5)", () -> comb.combine(pg, pm, 3));
        assertThrowsSaying("are null", () -> comb.combine(null, pm, 2));
        assertThrowsSaying("1 specialist probability arrays for 2 specialists", () -> comb.combine(pg, List.of(pm.get(0)), 2));
        assertThrowsSaying("specialist 1's probabilities of length 6 are not (2, 2)", () -> comb.combine(pg, List.of(pm.get(0), new float[6]), 2));
        assertThrowsSaying("specialist 0's probabilities of length null", () -> comb.combine(pg, Arrays.asList(null, pm.get(1)), 2));
        double[] q = {0.2, 0.2, 0.2, 0.2, 0.2};
        assertThrowsSaying("q has 4 values for 5 classes", () -> SpecialistCombination.objective(pg, 0, sp, pm, new int[] {0}, new double[4]));
        assertThrowsSaying("row 2 is not in", () -> SpecialistCombination.objective(pg, 2, sp, pm, new int[] {0}, q));
        assertThrowsSaying("active specialist 2 not in 0..1", () -> SpecialistCombination.objective(pg, 0, sp, pm, new int[] {2}, q));
        assertThrowsSaying("specialist 1's probabilities of length 3", () -> SpecialistCombination.gradient(pg, 0, sp, List.of(pm.get(0), new float[3]), new int[] {1}, q));
        // zeros: 0 · log 0 = 0 in the objective, finite q out of combine
        List<float[]> withZeros = List.of(concat(new float[] {0f, 1f, 0f}, new float[] {0.5f, 0f, 0.5f}), concat(new float[] {0f, 1f}, new float[] {1f, 0f}));
        double o = SpecialistCombination.objective(pg, 0, sp, withZeros, new int[] {0, 1}, q);
        assertTrue(Double.isFinite(o), "objective with zero probabilities: " + o);
        for (SpecialistCombination k : List.of(comb, new SpecialistCombination(sp, 2, 200, 1.0), new SpecialistCombination(sp, 2, 200, 1.0, Update.EM))) {
            float[] out = k.combine(concat(new float[] {0f, 0.7f, 0f, 0.3f, 0f}, normalised(5, 4, 3, 2, 1)), withZeros, 2);
            for (float v : out) assertTrue(Float.isFinite(v) && v >= 0, k.update() + ": " + Arrays.toString(out));
        }
    }
}
