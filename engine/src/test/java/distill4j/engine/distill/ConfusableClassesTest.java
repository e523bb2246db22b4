package distill4j.engine.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.engine.Tensor;
import distill4j.engine.distill.ConfusableClasses.Clustering;
import distill4j.engine.distill.ConfusableClasses.Points;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link ConfusableClasses}: a planted confusion structure is recovered from predictions alone, the
 * covariance against a direct float64 computation, overlapping clusters, a plugged-in clustering, and
 * the argument checks.
 */
class ConfusableClassesTest {
    static final long SEED_BALANCED = 20261206L;
    /** Data seeds of the planted predictions; clustering seeds derived from them. */
    static final long[] DATA_SEEDS = {20150309L, 1503L, 2531L, 777L, 31337L};
    /** Σ in double, the same two passes in another loop order: a few ulps of |Σ|. */
    static final double COV_ATOL = 1e-15, COV_RTOL = 1e-12;

    static final int GROUPS = 4, PER_GROUP = 3, C = GROUPS * PER_GROUP, N = 3000;
    static final List<int[]> PLANTED = List.of(new int[] {0, 1, 2}, new int[] {3, 4, 5}, new int[] {6, 7, 8}, new int[] {9, 10, 11});

    /**
     * N predictions over C = 12 classes in 4 planted groups of 3 (group g = classes 3g..3g+2, so the
     * confusable classes are not interleaved with the cluster order by accident): each example has a
     * true class y; the generalist puts 0.9 of its mass on y's group, split by a Dirichlet(1, 1, 1) draw
     * (normalised exponentials) with y getting one extra unit, and 0.1 over the other 9 classes, split
     * the same way.
     */
    static Tensor planted(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] p = new float[N * C];
        double[] w = new double[C];
        for (int n = 0; n < N; n++) {
            int y = r.nextInt(C), g = y / PER_GROUP;
            double in = 0, out = 0;
            for (int j = 0; j < C; j++) {
                w[j] = -Math.log(1 - r.nextDouble()) + (j == y ? 1 : 0);
                if (j / PER_GROUP == g) in += w[j]; else out += w[j];
            }
            for (int j = 0; j < C; j++) p[n * C + j] = (float) (j / PER_GROUP == g ? 0.9 * w[j] / in : 0.1 * w[j] / out);
        }
        return Tensor.of(p, N, C);
    }

    static String str(List<int[]> sets) {
        StringBuilder sb = new StringBuilder("[");
        for (int[] s : sets) sb.append(Arrays.toString(s));
        return sb.append(']').toString();
    }

    static void assertSets(List<int[]> expected, List<int[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": " + str(actual));
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), what + ": " + str(actual));
    }

    @Test
    void plantedGroupsAreRecoveredFromCovarianceAndCorrelation() {
        for (long seed : DATA_SEEDS) {
            Tensor p = planted(seed);
            assertSets(PLANTED, ConfusableClasses.clusters(p, GROUPS, seed), "default (covariance), seed " + seed);
            for (Points points : Points.values()) {
                for (long clusterSeed = seed; clusterSeed < seed + 3; clusterSeed++) {
                    List<int[]> found = ConfusableClasses.clusters(p, GROUPS, clusterSeed, points, ConfusableClasses.kMeans(100, 10), 1);
                    assertSets(PLANTED, found, points + ", data seed " + seed + ", clustering seed " + clusterSeed);
                }
            }
        }
    }

    @Test
    void balancedKMeansRecoversPlantedGroupsAndKeepsClustersWithinCapacity() {
        for (long seed : DATA_SEEDS) {
            Tensor p = planted(seed);
            for (Points points : Points.values()) {
                List<int[]> found = ConfusableClasses.clusters(p, GROUPS, seed, points, ConfusableClasses.balancedKMeans(100, 10), 1);
                assertSets(PLANTED, found, "balanced, " + points + ", seed " + seed);
            }
        }
        // random points: every cluster holds at most ⌈n/k⌉ and at least one point; the same seed, the same result
        java.util.SplittableRandom r = new java.util.SplittableRandom(SEED_BALANCED);
        for (int[] nk : new int[][] {{124, 12}, {124, 6}, {10, 4}, {7, 7}, {30, 1}}) {
            int n = nk[0], k = nk[1], d = 5;
            double[] x = new double[n * d];
            // a dense blob and a few far points: plain K-means would give very unequal clusters
            for (int i = 0; i < n; i++) for (int t = 0; t < d; t++) x[i * d + t] = (i % 9 == 0 ? 10 : 0.1) * r.nextDouble();
            int[] a = ConfusableClasses.balancedKMeans(50, 3).assign(x.clone(), n, d, k, SEED_BALANCED);
            int[] size = new int[k];
            for (int m : a) size[m]++;
            for (int m = 0; m < k; m++) {
                assertTrue(size[m] >= 1 && size[m] <= (n + k - 1) / k, "n " + n + ", k " + k + ": sizes " + java.util.Arrays.toString(size)
                        + " (seed " + SEED_BALANCED + ")");
            }
            assertArrayEquals(a, ConfusableClasses.balancedKMeans(50, 3).assign(x.clone(), n, d, k, SEED_BALANCED));
        }
        assertThrows(IllegalArgumentException.class, () -> ConfusableClasses.balancedKMeans(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ConfusableClasses.balancedKMeans(1, 0));
    }

    @Test
    void growAddsTheClassesNearestEachCentroid() {
        Tensor p = planted(DATA_SEEDS[0]);
        List<int[]> part = ConfusableClasses.clusters(p, GROUPS, 1, Points.CORRELATION, ConfusableClasses.balancedKMeans(100, 10), 1);
        List<int[]> grown = ConfusableClasses.grow(p, Points.CORRELATION, part, 5);
        assertEquals(GROUPS, grown.size());
        // the same computation by hand: correlation columns, centroid of the group, the 2 nearest outsiders
        double[] r = ConfusableClasses.correlation(ConfusableClasses.covariance(p), C);
        for (int m = 0; m < GROUPS; m++) {
            int[] g = part.get(m), s = grown.get(m);
            assertEquals(5, s.length, "grown set " + m);
            for (int j : g) assertTrue(Arrays.binarySearch(s, j) >= 0, "set " + m + " keeps its class " + j);
            double[] centroid = new double[C];
            for (int j : g) for (int t = 0; t < C; t++) centroid[t] += r[j * C + t] / g.length;
            double worstIn = 0, bestOut = Double.POSITIVE_INFINITY;
            for (int j = 0; j < C; j++) {
                double d = 0;
                for (int t = 0; t < C; t++) d += (r[j * C + t] - centroid[t]) * (r[j * C + t] - centroid[t]);
                boolean original = Arrays.binarySearch(g, j) >= 0, added = Arrays.binarySearch(s, j) >= 0 && !original;
                if (added) worstIn = Math.max(worstIn, d);
                if (Arrays.binarySearch(s, j) < 0) bestOut = Math.min(bestOut, d);
            }
            assertTrue(worstIn <= bestOut, "set " + m + ": an added class is farther than one left out");
        }
        assertThrows(IllegalArgumentException.class, () -> ConfusableClasses.grow(p, Points.CORRELATION, part, C));
        assertThrows(IllegalArgumentException.class, () -> ConfusableClasses.grow(p, Points.CORRELATION, List.of(new int[] {0, 1}), 3));
        assertThrows(IllegalArgumentException.class, () -> ConfusableClasses.grow(p, Points.CORRELATION,
                List.of(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new int[] {0}), 3));
    }

    /**
     * One K-means run (no restarts) finds the planted groups almost always; the rare failure is the
     * local minimum that merges two groups and splits a third, which the restarts of the default remove.
     */
    @Test
    void oneKMeansRunRarelyStopsInALocalMinimumAndRestartsRecoverIt() {
        int runs = 0, misses = 0;
        List<String> missed = new ArrayList<>();
        for (long seed : DATA_SEEDS) {
            Tensor p = planted(seed);
            for (Points points : Points.values()) {
                for (long clusterSeed = 0; clusterSeed < 100; clusterSeed++) {
                    runs++;
                    List<int[]> one = ConfusableClasses.clusters(p, GROUPS, clusterSeed, points, ConfusableClasses.kMeans(100), 1);
                    if (!sameSets(PLANTED, one)) {
                        misses++;
                        missed.add(points + " data " + seed + " clustering " + clusterSeed + ": " + str(one));
                        assertSets(PLANTED, ConfusableClasses.clusters(p, GROUPS, clusterSeed, points, ConfusableClasses.kMeans(100, 10), 1),
                                "10 restarts, " + points + ", data seed " + seed + ", clustering seed " + clusterSeed);
                    }
                }
            }
        }
        // about 1 run in 250 misses; allow 2 %
        assertTrue(misses <= runs / 50, misses + " of " + runs + " single runs missed: " + missed);
    }

    static boolean sameSets(List<int[]> a, List<int[]> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (!Arrays.equals(a.get(i), b.get(i))) return false;
        return true;
    }

    @Test
    void covarianceEqualsTwoPassFloat64() {
        long seed = 4242L;
        SplittableRandom r = new SplittableRandom(seed);
        int n = 37, c = 6;
        float[] p = new float[n * c];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) s += p[i * c + j] = (float) r.nextDouble();
            for (int j = 0; j < c; j++) p[i * c + j] /= (float) s;
        }
        double[] mu = new double[c];
        for (int j = 0; j < c; j++) {
            for (int i = 0; i < n; i++) mu[j] += p[i * c + j];
            mu[j] /= n;
        }
        double[] cov = ConfusableClasses.covariance(Tensor.of(p, n, c));
        double[] corr = ConfusableClasses.correlation(cov, c);
        for (int a = 0; a < c; a++) {
            for (int b = 0; b < c; b++) {
                double ref = 0;
                for (int i = 0; i < n; i++) ref += (p[i * c + a] - mu[a]) * (p[i * c + b] - mu[b]);
                ref /= n;
                assertEquals(ref, cov[a * c + b], COV_ATOL + COV_RTOL * Math.abs(ref), "Σ[" + a + "][" + b + "] (seed " + seed + ")");
                assertEquals(cov[a * c + b], cov[b * c + a], "Σ is symmetric");
            }
            assertEquals(1.0, corr[a * c + a], 1e-12, "R[" + a + "][" + a + "]");
        }
        // rows of a distribution sum to 1, so every row of Σ sums to 0
        for (int a = 0; a < c; a++) {
            double s = 0;
            for (int b = 0; b < c; b++) s += cov[a * c + b];
            assertEquals(0.0, s, 1e-8, "row " + a + " of Σ (seed " + seed + ")");
        }
        // a class with zero variance has zero correlation with everything
        float[] q = p.clone();
        for (int i = 0; i < n; i++) q[i * c + 2] = 0.25f;
        double[] r2 = ConfusableClasses.correlation(ConfusableClasses.covariance(Tensor.of(q, n, c)), c);
        for (int b = 0; b < c; b++) {
            assertEquals(0.0, r2[2 * c + b], "R[2][" + b + "]");
            assertEquals(0.0, r2[b * c + 2], "R[" + b + "][2]");
        }
    }

    @Test
    void overlapTwoPutsEachClassInTwoClustersContainingThePartition() {
        for (long seed : DATA_SEEDS) {
            Tensor p = planted(seed);
            for (Points points : Points.values()) {
                List<int[]> sets = ConfusableClasses.clusters(p, GROUPS, seed, points, ConfusableClasses.kMeans(100), 2);
                assertEquals(GROUPS, sets.size());
                int[] count = new int[C];
                for (int[] s : sets) {
                    for (int t = 1; t < s.length; t++) assertTrue(s[t - 1] < s[t], "sorted and distinct: " + str(sets));
                    for (int j : s) count[j]++;
                }
                for (int j = 0; j < C; j++) assertEquals(2, count[j], "class " + j + " in " + str(sets) + " (" + points + ", seed " + seed + ")");
                for (int[] group : PLANTED) {
                    boolean contained = false;
                    for (int[] s : sets) contained |= containsAll(s, group);
                    assertTrue(contained, Arrays.toString(group) + " is in no cluster of " + str(sets) + " (" + points + ", seed " + seed + ")");
                }
                for (int t = 1; t < sets.size(); t++) assertTrue(sets.get(t - 1)[0] <= sets.get(t)[0], "ordered by smallest class: " + str(sets));
            }
        }
    }

    static boolean containsAll(int[] set, int[] sub) {
        for (int x : sub) if (Arrays.binarySearch(set, x) < 0) return false;
        return true;
    }

    @Test
    void aPluggedInClusteringIsUsed() {
        long seed = 99L;
        Tensor p = planted(seed);
        List<String> calls = new ArrayList<>();
        // class j -> cluster j mod 4, whatever the points
        Clustering modulo = (points, n, d, k, s) -> {
            calls.add(n + "x" + d + " k" + k + " seed" + s + " len" + points.length);
            int[] a = new int[n];
            for (int i = 0; i < n; i++) a[i] = i % k;
            return a;
        };
        List<int[]> sets = ConfusableClasses.clusters(p, 4, seed, Points.CORRELATION, modulo, 1);
        assertEquals(List.of("12x12 k4 seed99 len144"), calls);
        assertSets(List.of(new int[] {0, 4, 8}, new int[] {1, 5, 9}, new int[] {2, 6, 10}, new int[] {3, 7, 11}), sets, "modulo clustering");
        // the result is sorted and ordered even when the clustering numbers its clusters otherwise
        Clustering reversed = (points, n, d, k, s) -> {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) a[i] = k - 1 - i / PER_GROUP;
            return a;
        };
        assertSets(PLANTED, ConfusableClasses.clusters(p, 4, seed, Points.COVARIANCE, reversed, 1), "reversed numbering");
    }

    @Test
    void kMeansIsDeterministicAndLeavesNoClusterEmpty() {
        long seed = 5L;
        SplittableRandom r = new SplittableRandom(seed);
        int n = 40, d = 3, k = 6;
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        Clustering km = ConfusableClasses.kMeans(50);
        int[] a = km.assign(x, n, d, k, seed);
        assertArrayEquals(a, km.assign(x.clone(), n, d, k, seed), "same seed, same clusters");
        assertEveryClusterUsed(a, k, "gaussian points");
        // all points equal: k-means++ has no D² to sample from, and Lloyd empties every cluster but one
        double[] same = new double[n * d];
        Arrays.fill(same, 1.5);
        assertEveryClusterUsed(km.assign(same, n, d, k, seed), k, "identical points");
        // k = n: one point per cluster
        assertEveryClusterUsed(km.assign(Arrays.copyOf(x, k * d), k, d, k, seed), k, "k = n");
    }

    static void assertEveryClusterUsed(int[] a, int k, String what) {
        int[] count = new int[k];
        for (int m : a) {
            assertTrue(m >= 0 && m < k, what + ": cluster " + m);
            count[m]++;
        }
        for (int m = 0; m < k; m++) assertTrue(count[m] > 0, what + ": cluster " + m + " is empty in " + Arrays.toString(a));
    }

    static void assertThrowsSaying(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        if (!e.getMessage().contains(fragment)) fail("message '" + e.getMessage() + "' does not say '" + fragment + "'");
    }

    @Test
    void badArgumentsAreRejected() {
        Tensor p = planted(1L);
        Clustering km = ConfusableClasses.kMeans(10);
        assertThrowsSaying("(N, C)", () -> ConfusableClasses.covariance(Tensor.zeros(12)));
        assertThrowsSaying("N >= 2", () -> ConfusableClasses.covariance(Tensor.zeros(1, 12)));
        assertThrowsSaying("(N, C)", () -> ConfusableClasses.clusters(Tensor.zeros(3, 4, 5), 2, 1L));
        assertThrowsSaying("N >= 2", () -> ConfusableClasses.clusters(Tensor.zeros(1, 12), 2, 1L));
        assertThrowsSaying("k = 0", () -> ConfusableClasses.clusters(p, 0, 1L));
        assertThrowsSaying("k = 13", () -> ConfusableClasses.clusters(p, 13, 1L));
        assertThrowsSaying("overlap = 0", () -> ConfusableClasses.clusters(p, 4, 1L, Points.COVARIANCE, km, 0));
        assertThrowsSaying("overlap = 5", () -> ConfusableClasses.clusters(p, 4, 1L, Points.COVARIANCE, km, 5));
        assertThrowsSaying("clustering is null", () -> ConfusableClasses.clusters(p, 4, 1L, Points.COVARIANCE, null, 1));
        assertThrowsSaying("points is null", () -> ConfusableClasses.clusters(p, 4, 1L, null, km, 1));
        assertThrowsSaying("returned 11 indices", () -> ConfusableClasses.clusters(p, 4, 1L, Points.COVARIANCE, (x, n, d, k, s) -> new int[11], 1));
        assertThrowsSaying("returned null", () -> ConfusableClasses.clusters(p, 4, 1L, Points.COVARIANCE, (x, n, d, k, s) -> null, 1));
        assertThrowsSaying("class 3 in cluster 4", () -> ConfusableClasses.clusters(p, 4, 1L, Points.COVARIANCE, (x, n, d, k, s) -> {
            int[] a = new int[n];
            a[3] = 4;
            return a;
        }, 1));
        assertThrowsSaying("class 0 in cluster -1", () -> ConfusableClasses.clusters(p, 4, 1L, Points.COVARIANCE, (x, n, d, k, s) -> {
            int[] a = new int[n];
            a[0] = -1;
            return a;
        }, 1));
        // clusters 0, 1, 3 used, 2 left empty
        assertThrowsSaying("left cluster 2 of 4 empty", () -> ConfusableClasses.clusters(p, 4, 1L, Points.COVARIANCE, (x, n, d, k, s) -> {
            int[] a = new int[n];
            for (int i = 0; i < n; i++) a[i] = i % 3 == 2 ? 3 : i % 3;
            return a;
        }, 1));
        assertThrowsSaying("iterations must be >= 1", () -> ConfusableClasses.kMeans(0));
        assertThrowsSaying("restarts must be >= 1", () -> ConfusableClasses.kMeans(10, 0));
        assertThrowsSaying("k = 5 not in 1..4", () -> km.assign(new double[8], 4, 2, 5, 1L));
        assertThrowsSaying("not 4 points", () -> km.assign(new double[7], 4, 2, 2, 1L));
        assertThrowsSaying("not 3 × 3", () -> ConfusableClasses.correlation(new double[8], 3));
    }
}
