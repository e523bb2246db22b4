package distill4j.bench.variants;

import static distill4j.kernels.simd.SimdParams.LANES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import distill4j.kernels.ScalarBackend;
import distill4j.kernels.gemm.GemmLayout;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every numbered micro-kernel kept for measurement ({@link GemmMicroKernels}) computes its MR × NR tile
 * exactly as a chain of float FMAs over p = 0 … kc − 1 per element (then + C when accumulating), as the
 * two shipped ones must (kernels' {@code SimdGemmKernelsTest}); and {@link PackedGemm} with each of
 * them gives the shipped GEMM's product.
 */
class GemmMicroKernelsTest {

    @ParameterizedTest(name = "kernel v{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void microKernelIsAnFmaChainPerElement(int version) {
        int mr = GemmMicroKernels.rows(version), nr = GemmMicroKernels.vectors(version) * LANES;
        long seed = 900 + version;
        Random rnd = new Random(seed);
        for (int kc : new int[] {1, 2, 3, 7, 64, 197}) {
            for (boolean add : new boolean[] {false, true}) {
                int ldc = nr + 5, cOff = 3, aOff = 2, bOff = 1;
                float[] ap = new float[aOff + kc * mr], bp = new float[bOff + kc * nr];
                for (int i = 0; i < ap.length; i++) ap[i] = (float) rnd.nextGaussian();
                for (int i = 0; i < bp.length; i++) bp[i] = (float) rnd.nextGaussian();
                float[] c = new float[cOff + mr * ldc + 4];
                for (int i = 0; i < c.length; i++) c[i] = (float) rnd.nextGaussian();
                float[] want = c.clone();
                for (int i = 0; i < mr; i++) {
                    for (int j = 0; j < nr; j++) {
                        float acc = 0f;
                        for (int p = 0; p < kc; p++) acc = Math.fma(ap[aOff + p * mr + i], bp[bOff + p * nr + j], acc);
                        int at = cOff + i * ldc + j;
                        want[at] = add ? acc + c[at] : acc;
                    }
                }
                GemmMicroKernels.run(version, kc, ap, aOff, bp, bOff, c, cOff, ldc, add);
                for (int i = 0; i < c.length; i++) {
                    if (Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(want[i])) {
                        throw new AssertionError("kernel v" + version + " (" + mr + "×" + nr + ") kc=" + kc + " add=" + add
                                + " seed=" + seed + ": c[" + i + "] = " + c[i] + ", FMA chain " + want[i]
                                + " (entries outside the tile must be untouched)");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "unknown kernel v{0}")
    @ValueSource(ints = {0, GemmMicroKernels.VERSIONS + 1})
    void unknownVersionsAreRejected(int version) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmMicroKernels.rows(version));
        assertEquals("GEMM micro-kernel version must be 1..9, got " + version, e.getMessage());
    }

    /** Within float32 rounding of the float64 reference (a k-term sum: k·ε relative to Σ|a·b|). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GemmLayout.class)
    void packedGemmWithEveryVersionMatchesTheReference(GemmLayout layout) {
        int m = 37, n = 70, k = 300;  // k > KC: two slices, 150 + 150 balanced, 256 + 44 plain
        Random rnd = new Random(5);
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
        float[] want = new float[m * n];
        new ScalarBackend().gemm().gemm(layout, m, n, k, a, b, want, false);
        for (int v = 1; v <= GemmMicroKernels.VERSIONS; v++) {
            for (boolean balanced : new boolean[] {true, false}) {
                float[] c = new float[m * n];
                new PackedGemm(v, balanced).gemm(layout, m, n, k, a, b, c, false);
                for (int i = 0; i < c.length; i++) {
                    assertEquals(want[i], c[i], 1e-4f * k, "v" + v + " balancedKc=" + balanced + " " + layout + " c[" + i + "]");
                }
            }
        }
    }
}
