package distill4j.engine.distill;

import distill4j.engine.Shapes;
import distill4j.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Clusters of classes that a trained generalist often confuses (Hinton, Vinyals &amp; Dean 2015, §5.3,
 * "Assigning classes to specialists"). No true labels are needed: on held-out data the generalist's
 * predicted distributions p_n (N, C) give the covariance matrix
 * <pre>  Σ = (1/N) Σ_n (p_n − μ)(p_n − μ)ᵀ,   μ = (1/N) Σ_n p_n          (C × C, in double)  </pre>
 * Two classes that the generalist tends to predict together on the same examples have similar columns
 * of Σ, so clustering the C columns (each a point in R^C) puts confusable classes in one cluster; each
 * cluster becomes the class set S of one {@link Specialist}.
 *
 * <p>The paper applies an online version of K-means to the columns of the covariance matrix and notes
 * that several other clustering algorithms gave similar results. Here the default is batch K-means
 * (Lloyd's algorithm) with k-means++ seeding, the best of 10 seeded runs ({@link #kMeans(int, int)});
 * any other {@link Clustering} can be plugged in, and the columns of the correlation matrix can be
 * clustered instead of the covariance ({@link Points#CORRELATION}), which weighs rare and frequent
 * classes alike.
 */
public final class ConfusableClasses {
    private ConfusableClasses() {}

    /** What is clustered: the columns of the covariance matrix (the paper) or of the correlation matrix. */
    public enum Points {
        /** Column j of Σ. */
        COVARIANCE,
        /** Column j of R, R_ij = Σ_ij / sqrt(Σ_ii Σ_jj) (0 where a variance is 0). */
        CORRELATION
    }

    /**
     * A clustering of n points of dimension d (row-major, {@code points[i * d + t]}) into k clusters:
     * returns a cluster index in [0, k) for each point. Must be deterministic for a given seed.
     */
    @FunctionalInterface
    public interface Clustering {
        int[] assign(double[] points, int n, int d, int k, long seed);
    }

    /** The covariance of the rows of p (N, C), N ≥ 2: C*C row-major, in double (two passes: mean, then deviations). */
    public static double[] covariance(Tensor probabilities) {
        checkProbabilities("covariance", probabilities);
        int n = probabilities.dim(0), c = probabilities.dim(1);
        float[] p = probabilities.data();
        // μ_j = (1/N) Σ_n p_nj
        double[] mu = new double[c];
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) mu[j] += p[i * c + j];
        for (int j = 0; j < c; j++) mu[j] /= n;
        // Σ_ij = (1/N) Σ_n (p_ni − μ_i)(p_nj − μ_j): the upper triangle, mirrored
        double[] cov = new double[c * c];
        double[] dev = new double[c];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < c; j++) dev[j] = p[r * c + j] - mu[j];
            for (int i = 0; i < c; i++) {
                double di = dev[i];
                int row = i * c;
                for (int j = i; j < c; j++) cov[row + j] += di * dev[j];
            }
        }
        for (int i = 0; i < c; i++) {
            for (int j = i; j < c; j++) {
                double v = cov[i * c + j] / n;
                cov[i * c + j] = v;
                cov[j * c + i] = v;
            }
        }
        return cov;
    }

    /** The correlation matrix of a covariance matrix (C*C): R_ij = Σ_ij / sqrt(Σ_ii Σ_jj), 0 where Σ_ii or Σ_jj is 0. */
    public static double[] correlation(double[] covariance, int c) {
        if (c <= 0 || covariance.length != c * c) {
            throw new IllegalArgumentException("correlation: a covariance matrix of length " + covariance.length + " is not " + c + " × " + c);
        }
        double[] r = new double[c * c];
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                double vi = covariance[i * c + i], vj = covariance[j * c + j];
                r[i * c + j] = vi > 0 && vj > 0 ? covariance[i * c + j] / Math.sqrt(vi * vj) : 0.0;
            }
        }
        return r;
    }

    /**
     * Batch K-means: k-means++ seeding from {@code new SplittableRandom(seed)}, then Lloyd iterations
     * (assign each point to its nearest centroid, move each centroid to the mean of its points) until no
     * assignment changes or {@code iterations} updates were made.
     *
     * <p>Details that make it deterministic and total: the seeding is the greedy k-means++ of Arthur &amp;
     * Vassilvitskii (2007, as in scikit-learn): each new centre is the best, by the resulting sum of
     * squared distances, of 2 + ⌊ln k⌋ candidates drawn with probability ∝ D(x)² (D: distance to the
     * nearest centre chosen so far); when every point lies on a chosen centre, the lowest-index point
     * not yet chosen is taken. Distance ties go to the lowest cluster index. A cluster left empty is
     * re-seeded with the point farthest from its own centroid (lowest index on ties) among clusters of
     * two or more points, so every cluster of the result is non-empty when k ≤ n.
     */
    public static Clustering kMeans(int iterations) {
        return kMeans(iterations, 1);
    }

    /**
     * The best of {@code restarts} runs of {@link #kMeans(int)}: run r uses the seed seed + r · γ (γ =
     * 0x9E3779B97F4A7C15, so run 0 is {@code kMeans(iterations)} itself); the result is the run with
     * the smallest within-cluster sum of squared distances (the earliest on ties). One run of K-means
     * can stop in a local minimum that merges two groups and splits a third; k-means++ makes that rare
     * (about 1 run in 250 on the planted structure of ConfusableClassesTest), restarts make it rarer.
     */
    public static Clustering kMeans(int iterations, int restarts) {
        if (iterations < 1) throw new IllegalArgumentException("kMeans: iterations must be >= 1, got " + iterations);
        if (restarts < 1) throw new IllegalArgumentException("kMeans: restarts must be >= 1, got " + restarts);
        return (points, n, d, k, seed) -> {
            if (n < 1 || d < 1 || points.length != n * d) {
                throw new IllegalArgumentException("kMeans: " + points.length + " values are not " + n + " points of dimension " + d);
            }
            if (k < 1 || k > n) throw new IllegalArgumentException("kMeans: k = " + k + " not in 1.." + n);
            int[] best = null;
            double bestCost = Double.POSITIVE_INFINITY;
            double[] centroids = new double[k * d];
            for (int r = 0; r < restarts; r++) {
                int[] a = lloyd(points, n, d, k, seed + r * 0x9E3779B97F4A7C15L, iterations);
                // within-cluster sum of squares Σ_i |x_i − c_{a(i)}|²
                means(points, n, d, a, k, centroids);
                double cost = 0;
                for (int i = 0; i < n; i++) cost += squaredDistance(points, i * d, centroids, a[i] * d, d);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = a;
                }
            }
            return best;
        };
    }

    /**
     * K-means whose clusters hold at most ⌈n/k⌉ points each: a specialist per cluster then covers about
     * the same number of classes (the paper's 61 specialists had 300 classes each). Plain K-means on the
     * prediction covariance of a generalist over 124 speech states puts most classes in one or two large
     * clusters (rarely predicted classes have small columns that lie together), and a specialist of 108 of
     * 124 classes is no specialist. Each run: k-means++ seeding as in {@link #kMeans(int)}, then Lloyd
     * updates whose assignment step is greedy under the capacity: every (point, centroid) pair in
     * ascending order of distance (ties: lower point, then lower cluster) assigns the point if it is still
     * free and the cluster has room; a cluster left empty is filled as in {@link #kMeans(int)}. Stops when
     * the assignment no longer changes or after {@code iterations} updates; the best of {@code restarts}
     * runs by within-cluster sum of squares (seeds as in {@link #kMeans(int, int)}).
     */
    public static Clustering balancedKMeans(int iterations, int restarts) {
        if (iterations < 1) throw new IllegalArgumentException("balancedKMeans: iterations must be >= 1, got " + iterations);
        if (restarts < 1) throw new IllegalArgumentException("balancedKMeans: restarts must be >= 1, got " + restarts);
        return (points, n, d, k, seed) -> {
            if (n < 1 || d < 1 || points.length != n * d) {
                throw new IllegalArgumentException("balancedKMeans: " + points.length + " values are not " + n + " points of dimension " + d);
            }
            if (k < 1 || k > n) throw new IllegalArgumentException("balancedKMeans: k = " + k + " not in 1.." + n);
            int capacity = (n + k - 1) / k;
            int[] best = null;
            double bestCost = Double.POSITIVE_INFINITY;
            double[] centroids = new double[k * d];
            for (int r = 0; r < restarts; r++) {
                double[] c = kMeansPlusPlus(points, n, d, k, new SplittableRandom(seed + r * 0x9E3779B97F4A7C15L));
                int[] assign = new int[n], next = new int[n];
                nearestWithCapacity(points, n, d, c, k, capacity, assign);
                fillEmpty(points, n, d, c, k, assign);
                for (int it = 0; it < iterations; it++) {
                    means(points, n, d, assign, k, c);
                    nearestWithCapacity(points, n, d, c, k, capacity, next);
                    fillEmpty(points, n, d, c, k, next);
                    if (Arrays.equals(next, assign)) break;
                    int[] t = assign;
                    assign = next;
                    next = t;
                }
                means(points, n, d, assign, k, centroids);
                double cost = 0;
                for (int i = 0; i < n; i++) cost += squaredDistance(points, i * d, centroids, assign[i] * d, d);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = assign;
                }
            }
            return best;
        };
    }

    /** The capacity-bounded assignment step: (point, cluster) pairs by ascending distance, greedily. */
    private static void nearestWithCapacity(double[] x, int n, int d, double[] centroids, int k, int capacity, int[] assign) {
        int pairs = n * k;
        double[] dist = new double[pairs];
        Integer[] order = new Integer[pairs];
        for (int i = 0; i < n; i++) {
            for (int m = 0; m < k; m++) {
                dist[i * k + m] = squaredDistance(x, i * d, centroids, m * d, d);
                order[i * k + m] = i * k + m;
            }
        }
        // stable sort of the pair index i·k + m: ties keep the lower point, then the lower cluster
        Arrays.sort(order, Comparator.comparingDouble(t -> dist[t]));
        Arrays.fill(assign, -1);
        int[] size = new int[k];
        int placed = 0;
        for (int t = 0; t < pairs && placed < n; t++) {
            int i = order[t] / k, m = order[t] % k;
            if (assign[i] >= 0 || size[m] >= capacity) continue;
            assign[i] = m;
            size[m]++;
            placed++;
        }
    }

    /** One run: k-means++ seeding, then at most {@code iterations} Lloyd updates. */
    private static int[] lloyd(double[] points, int n, int d, int k, long seed, int iterations) {
        double[] centroids = kMeansPlusPlus(points, n, d, k, new SplittableRandom(seed));
        int[] assign = new int[n];
        nearest(points, n, d, centroids, k, assign);
        fillEmpty(points, n, d, centroids, k, assign);
        int[] next = new int[n];
        for (int it = 0; it < iterations; it++) {
            means(points, n, d, assign, k, centroids);
            nearest(points, n, d, centroids, k, next);
            fillEmpty(points, n, d, centroids, k, next);
            if (Arrays.equals(next, assign)) break;
            int[] t = assign;
            assign = next;
            next = t;
        }
        return assign;
    }

    /**
     * = {@code clusters(p, k, seed, Points.COVARIANCE, kMeans(100, 10), 1)}: the paper's disjoint clusters
     * of the covariance columns, the best of 10 K-means runs.
     */
    public static List<int[]> clusters(Tensor probabilities, int k, long seed) {
        return clusters(probabilities, k, seed, Points.COVARIANCE, kMeans(100, 10), 1);
    }

    /**
     * k class sets from the generalist's predictions p (N, C) on held-out data, each sorted ascending,
     * the list ordered by each set's smallest class.
     *
     * <p>overlap = 1: the partition found by the clustering (every class in exactly one set). overlap =
     * r &gt; 1: each class is also put in the sets of the r − 1 other clusters whose centroids (the mean
     * of the points assigned to them) are nearest to it (Euclidean; ties to the lowest cluster index),
     * so each class is in exactly r sets and every set contains its cluster. For a converged K-means,
     * where a point's own centroid is its nearest, these are the clusters of its r nearest centroids.
     *
     * @throws IllegalArgumentException if p is not (N, C) with N ≥ 2, k ∉ [1, C], overlap ∉ [1, k], or
     *     the clustering returns the wrong number of indices, an index outside [0, k), or an empty cluster
     */
    public static List<int[]> clusters(Tensor probabilities, int k, long seed, Points points, Clustering clustering, int overlap) {
        checkProbabilities("clusters", probabilities);
        int c = probabilities.dim(1);
        if (k < 1 || k > c) throw new IllegalArgumentException("clusters: k = " + k + " clusters for " + c + " classes (need 1 <= k <= " + c + ")");
        if (overlap < 1 || overlap > k) throw new IllegalArgumentException("clusters: overlap = " + overlap + " not in 1.." + k);
        if (points == null) throw new IllegalArgumentException("clusters: points is null (COVARIANCE or CORRELATION)");
        if (clustering == null) throw new IllegalArgumentException("clusters: clustering is null");
        // the points: column j of Σ (or R); both are symmetric, so row j is column j
        double[] x = covariance(probabilities);
        if (points == Points.CORRELATION) x = correlation(x, c);
        int[] assign = clustering.assign(x.clone(), c, c, k, seed);
        if (assign == null || assign.length != c) {
            throw new IllegalArgumentException("clusters: the clustering returned " + (assign == null ? "null" : assign.length + " indices")
                    + " for " + c + " classes");
        }
        int[] count = new int[k];
        for (int j = 0; j < c; j++) {
            if (assign[j] < 0 || assign[j] >= k) {
                throw new IllegalArgumentException("clusters: the clustering put class " + j + " in cluster " + assign[j] + ", not in 0.." + (k - 1));
            }
            count[assign[j]]++;
        }
        for (int m = 0; m < k; m++) {
            if (count[m] == 0) {
                throw new IllegalArgumentException("clusters: the clustering left cluster " + m + " of " + k + " empty: "
                        + Arrays.toString(assign));
            }
        }
        boolean[] member = new boolean[k * c]; // member[m * c + j]: class j is in set m
        for (int j = 0; j < c; j++) member[assign[j] * c + j] = true;
        if (overlap > 1) {
            double[] centroids = new double[k * c];
            means(x, c, c, assign, k, centroids);
            double[] dist = new double[k];
            Integer[] order = new Integer[k];
            for (int j = 0; j < c; j++) {
                for (int m = 0; m < k; m++) {
                    dist[m] = squaredDistance(x, j * c, centroids, m * c, c);
                    order[m] = m;
                }
                // stable sort: equal distances keep the lower cluster index first
                Arrays.sort(order, Comparator.comparingDouble(m -> dist[m]));
                int added = 1;
                for (int t = 0; t < k && added < overlap; t++) {
                    int m = order[t];
                    if (m == assign[j]) continue;
                    member[m * c + j] = true;
                    added++;
                }
            }
        }
        List<int[]> sets = new ArrayList<>(k);
        for (int m = 0; m < k; m++) {
            int size = 0;
            for (int j = 0; j < c; j++) if (member[m * c + j]) size++;
            int[] s = new int[size];
            for (int j = 0, t = 0; j < c; j++) if (member[m * c + j]) s[t++] = j;
            sets.add(s);
        }
        sets.sort(Comparator.comparingInt(s -> s[0]));
        return sets;
    }

    /**
     * Specialists of one size (the paper's had 300 classes each): every set of a partition of the C classes
     * (e.g. {@link #clusters} with overlap 1) grown to {@code size} classes by adding the classes nearest its
     * centroid (the mean of its members' points, Euclidean, ties to the lower class), so a class that lies
     * between two clusters joins both. Sets already of {@code size} or more are kept as they are. Returns
     * new sorted sets in the order given.
     *
     * @throws IllegalArgumentException if the sets are not a partition of 0..C−1 or size ∉ [1, C − 1]
     */
    public static List<int[]> grow(Tensor probabilities, Points points, List<int[]> partition, int size) {
        checkProbabilities("grow", probabilities);
        int c = probabilities.dim(1), k = partition.size();
        if (size < 1 || size > c - 1) throw new IllegalArgumentException("grow: size " + size + " not in 1.." + (c - 1) + " (a specialist needs a dustbin)");
        int[] assign = new int[c];
        Arrays.fill(assign, -1);
        for (int m = 0; m < k; m++) {
            for (int j : partition.get(m)) {
                if (j < 0 || j >= c || assign[j] >= 0) {
                    throw new IllegalArgumentException("grow: the sets are not a partition of the " + c + " classes (class " + j + ")");
                }
                assign[j] = m;
            }
        }
        for (int j = 0; j < c; j++) if (assign[j] < 0) throw new IllegalArgumentException("grow: class " + j + " is in no set");
        double[] x = covariance(probabilities);
        if (points == Points.CORRELATION) x = correlation(x, c);
        double[] centroids = new double[k * c];
        means(x, c, c, assign, k, centroids);
        List<int[]> out = new ArrayList<>(k);
        Integer[] order = new Integer[c];
        double[] dist = new double[c];
        for (int m = 0; m < k; m++) {
            boolean[] in = new boolean[c];
            int n = 0;
            for (int j : partition.get(m)) { in[j] = true; n++; }
            for (int j = 0; j < c; j++) {
                dist[j] = squaredDistance(x, j * c, centroids, m * c, c);
                order[j] = j;
            }
            Arrays.sort(order, Comparator.comparingDouble(j -> dist[j])); // stable: ties keep the lower class
            for (int t = 0; t < c && n < size; t++) {
                if (!in[order[t]]) { in[order[t]] = true; n++; }
            }
            int[] set = new int[n];
            for (int j = 0, t = 0; j < c; j++) if (in[j]) set[t++] = j;
            out.add(set);
        }
        return out;
    }

    private static void checkProbabilities(String op, Tensor p) {
        if (p == null) throw new IllegalArgumentException(op + ": probabilities are null");
        if (p.rank() != 2) {
            throw new IllegalArgumentException(op + ": probabilities must be (N, C), got shape " + Shapes.str(p.shape()));
        }
        if (p.dim(0) < 2) throw new IllegalArgumentException(op + ": needs N >= 2 predictions for a covariance, got shape " + Shapes.str(p.shape()));
        if (p.dim(1) < 1) throw new IllegalArgumentException(op + ": no classes in shape " + Shapes.str(p.shape()));
    }

    // ------------------------------------------------------------------ K-means steps

    static double squaredDistance(double[] a, int aOff, double[] b, int bOff, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            double e = a[aOff + t] - b[bOff + t];
            s += e * e;
        }
        return s;
    }

    /** Greedy k-means++: centres (k, d), each drawn ∝ D(x)², best of 2 + ⌊ln k⌋ candidates. */
    private static double[] kMeansPlusPlus(double[] x, int n, int d, int k, SplittableRandom rng) {
        double[] centres = new double[k * d];
        boolean[] chosen = new boolean[n];
        int trials = 2 + (int) Math.log(k);
        int first = rng.nextInt(n);
        chosen[first] = true;
        System.arraycopy(x, first * d, centres, 0, d);
        // D(x)²: squared distance to the nearest centre so far
        double[] d2 = new double[n], candidate = new double[n], best = new double[n];
        for (int i = 0; i < n; i++) d2[i] = squaredDistance(x, i * d, centres, 0, d);
        for (int m = 1; m < k; m++) {
            double total = 0;
            for (int i = 0; i < n; i++) total += d2[i];
            int pick = -1;
            if (total > 0) {
                double bestPotential = Double.POSITIVE_INFINITY;
                for (int t = 0; t < trials; t++) {
                    // P(x) = D(x)² / Σ D²
                    double u = rng.nextDouble() * total, cum = 0;
                    int c = -1;
                    for (int i = 0; i < n; i++) {
                        if (d2[i] <= 0) continue;
                        cum += d2[i];
                        c = i;
                        if (cum > u) break;
                    }
                    // the potential Σ min(D², |x − c|²) if c were the next centre; keep the smallest
                    double potential = 0;
                    for (int i = 0; i < n; i++) {
                        candidate[i] = Math.min(d2[i], squaredDistance(x, i * d, x, c * d, d));
                        potential += candidate[i];
                    }
                    if (potential < bestPotential) {
                        bestPotential = potential;
                        pick = c;
                        System.arraycopy(candidate, 0, best, 0, n);
                    }
                }
                System.arraycopy(best, 0, d2, 0, n);
            } else {
                for (int i = 0; i < n && pick < 0; i++) if (!chosen[i]) pick = i;
            }
            chosen[pick] = true;
            System.arraycopy(x, pick * d, centres, m * d, d);
        }
        return centres;
    }

    /** assign[i] = the nearest centroid of point i (lowest index on ties). */
    private static void nearest(double[] x, int n, int d, double[] centroids, int k, int[] assign) {
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestD = squaredDistance(x, i * d, centroids, 0, d);
            for (int m = 1; m < k; m++) {
                double dm = squaredDistance(x, i * d, centroids, m * d, d);
                if (dm < bestD) {
                    bestD = dm;
                    best = m;
                }
            }
            assign[i] = best;
        }
    }

    /** centroids (k, d) = the mean of the points assigned to each cluster (a cluster with no point keeps its centroid). */
    private static void means(double[] x, int n, int d, int[] assign, int k, double[] centroids) {
        int[] count = new int[k];
        double[] sum = new double[k * d];
        for (int i = 0; i < n; i++) {
            int m = assign[i];
            count[m]++;
            for (int t = 0; t < d; t++) sum[m * d + t] += x[i * d + t];
        }
        for (int m = 0; m < k; m++) {
            if (count[m] == 0) continue;
            for (int t = 0; t < d; t++) centroids[m * d + t] = sum[m * d + t] / count[m];
        }
    }

    /** Moves into each empty cluster the point farthest from its centroid among clusters of ≥ 2 points. */
    private static void fillEmpty(double[] x, int n, int d, double[] centroids, int k, int[] assign) {
        int[] count = new int[k];
        for (int i = 0; i < n; i++) count[assign[i]]++;
        for (int m = 0; m < k; m++) {
            if (count[m] > 0) continue;
            int far = -1;
            double farD = -1;
            for (int i = 0; i < n; i++) {
                if (count[assign[i]] < 2) continue;
                double di = squaredDistance(x, i * d, centroids, assign[i] * d, d);
                if (di > farD) {
                    farD = di;
                    far = i;
                }
            }
            count[assign[far]]--;
            assign[far] = m;
            count[m] = 1;
            System.arraycopy(x, far * d, centroids, m * d, d);
        }
    }
}
