package distill4j.kernels.simd;

import static distill4j.kernels.simd.SimdParams.LANES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every numbered micro-kernel of {@link SimdGemmKernels}, not only the default one that the contract
 * table reaches through {@code SimdGemm}: each must compute its MR × NR tile exactly as a chain of
 * float FMAs over p = 0 … kc − 1 per element (then + C when accumulating). That is what makes every
 * version, block size and thread count give bit-identical products, so a checkpointed run resumes with
 * the same weights whichever kernel the machine's vector width selects.
 */
class SimdGemmKernelsTest {
    private static final int VERSIONS = 9;

    @ParameterizedTest(name = "kernel v{0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void microKernelIsAnFmaChainPerElement(int version) {
        int mr = SimdGemmKernels.rows(version), nr = SimdGemmKernels.vectors(version) * LANES;
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
                SimdGemmKernels.run(version, kc, ap, aOff, bp, bOff, c, cOff, ldc, add);
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
    @ValueSource(ints = {0, VERSIONS + 1})
    void unknownVersionsAreRejected(int version) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimdGemmKernels.rows(version));
        assertEquals("distill4j.gemm.kernel must be 1.." + VERSIONS + ", got " + version, e.getMessage());
    }
}
