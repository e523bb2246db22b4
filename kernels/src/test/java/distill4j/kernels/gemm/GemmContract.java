package distill4j.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.kernels.Backend;
import distill4j.kernels.ContractBase;
import distill4j.kernels.ScalarBackend;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backend contract rows of the gemm family (see {@link ContractBase}): each test runs the backend
 * under test and the scalar reference on the same inputs and compares within the named tolerances.
 * GEMM: every layout, overwrite and accumulate, small, odd, deep and MLP shapes; Freivalds' check.
 */
public abstract class GemmContract extends ContractBase {

    // ---------------------------------------------------------------- GEMM

    static Stream<Arguments> gemmCases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (GemmLayout l : GemmLayout.values()) {
            s.add(Arguments.of(l, false));
            s.add(Arguments.of(l, true));
        }
        return s.build();
    }

    @ParameterizedTest(name = "{0} accumulate={1}")
    @MethodSource("gemmCases")
    void gemmSmallShapes(GemmLayout layout, boolean accumulate) {
        long seed = 1000 + layout.ordinal() * 2 + (accumulate ? 1 : 0);
        Random rnd = new Random(seed);
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : new int[] {1, 2, 5, 16, 17, 67}) {
                    checkGemm(layout, m, n, k, accumulate, rnd, seed);
                }
            }
        }
        // k = 0: zeros, or C unchanged
        checkGemm(layout, 5, 7, 0, accumulate, rnd, seed);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(GemmLayout.class)
    void gemmDeepAndOddShapes(GemmLayout layout) {
        long seed = 2000 + layout.ordinal();
        Random rnd = new Random(seed);
        int[][] shapes = {{67, 61, 300}, {1, 1200, 257}, {97, 1, 513}, {130, 67, 784}, {17, 100, 1031}};
        for (int[] s : shapes) checkGemm(layout, s[0], s[1], s[2], false, rnd, seed);
    }

    /** The MLP shapes of the paper's MNIST nets (batch 128, 784-1200-1200-10) and one large square. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NN 128 1200 784", "NT 128 1200 1200", "TN 1200 1200 128", "TN 784 1200 128",
            "NT 128 10 1200", "NN 512 512 512"})
    void gemmMlpShapes(String shape) {
        String[] f = shape.split(" ");
        long seed = 3000 + shape.hashCode();
        checkGemm(GemmLayout.valueOf(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                true, new Random(seed), seed);
    }

    void checkGemm(GemmLayout layout, int m, int n, int k, boolean accumulate, Random rnd, long seed) {
        float[] a = normal(rnd, m * k, 1f), b = normal(rnd, k * n, 1f);
        float[] c0 = normal(rnd, m * n, 1f);
        float[] got = c0.clone(), want = c0.clone();
        backend().gemm().gemm(layout, m, n, k, a, b, got, accumulate);
        ref.gemm().gemm(layout, m, n, k, a, b, want, accumulate);
        // magnitude bound |A|·|B| (+ |C0| when accumulating)
        float[] mag = accumulate ? abs(c0) : new float[m * n];
        ref.gemm().gemm(layout, m, n, k, abs(a), abs(b), mag, true);
        String where = "gemm " + layout + " m=" + m + " n=" + n + " k=" + k + " accumulate=" + accumulate + " seed=" + seed;
        for (int i = 0; i < m * n; i++) {
            float tol = GEMM_ATOL + GEMM_RTOL * mag[i];
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                fail(where + ": C[" + i / n + "," + i % n + "] = " + got[i] + ", reference " + want[i] + " (tolerance " + tol + ")");
            }
        }
        // invariant: with k = 0 the result is 0 (or C unchanged)
        if (k == 0) for (int i = 0; i < m * n; i++) assertEquals(accumulate ? c0[i] : 0f, got[i], where);
        freivalds(layout, m, n, k, a, b, c0, got, accumulate, rnd, where);
    }

    /**
     * A check of C that does not use the reference (Freivalds): for a random vector x,
     * (C − C0)·x must equal op(A)·(op(B)·x), computed here in float64 in O(mk + kn + mn).
     */
    static void freivalds(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c0, float[] c,
                          boolean accumulate, Random rnd, String where) {
        double[] x = new double[n];
        for (int j = 0; j < n; j++) x[j] = rnd.nextGaussian();
        double[] u = new double[k], uMag = new double[k];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                double bpj = layout == GemmLayout.NT ? b[j * k + p] : b[p * n + j];
                u[p] += bpj * x[j];
                uMag[p] += Math.abs(bpj * x[j]);
            }
        }
        for (int i = 0; i < m; i++) {
            double v = 0, vMag = 0, cx = 0;
            for (int p = 0; p < k; p++) {
                double aip = layout == GemmLayout.TN ? a[p * m + i] : a[i * k + p];
                v += aip * u[p];
                vMag += Math.abs(aip) * uMag[p];
            }
            for (int j = 0; j < n; j++) cx += ((double) c[i * n + j] - (accumulate ? c0[i * n + j] : 0)) * x[j];
            double cMag = 0;
            if (accumulate) for (int j = 0; j < n; j++) cMag += Math.abs(c0[i * n + j] * x[j]);
            double tol = GEMM_ATOL * n + GEMM_RTOL * (vMag + cMag);
            if (!(Math.abs(cx - v) <= tol)) {
                fail(where + ": row " + i + " of C·x is " + cx + " but A·(B·x) = " + v + " (tolerance " + tol + ")");
            }
        }
    }
}
