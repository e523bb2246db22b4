package distill4j.kernels.gemm;

import static distill4j.kernels.simd.SimdParams.LANES;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both shipped micro-kernels of {@link SimdGemmKernels} (6 × 2 and 4 × 2), not only the one this
 * machine's vector width selects and the contract table reaches through {@code SimdGemm}: each must
 * compute its MR × NR tile exactly as a chain of float FMAs over p = 0 … kc − 1 per element (then + C
 * when accumulating). That is what makes both kernels, every block size and thread count give
 * bit-identical products, so a checkpointed run resumes with the same weights whichever kernel the
 * machine's vector width selects. (The losing versions in bench/ pass the same test there.)
 */
class SimdGemmKernelsTest {

    @ParameterizedTest(name = "kernel {0}×2")
    @ValueSource(ints = {6, 4})
    void microKernelIsAnFmaChainPerElement(int rows) {
        int mr = rows, nr = 2 * LANES;
        long seed = 900 + (rows == 6 ? 1 : 6);
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
                if (rows == 6) SimdGemmKernels.kernel6x2(kc, ap, aOff, bp, bOff, c, cOff, ldc, add);
                else SimdGemmKernels.kernel4x2(kc, ap, aOff, bp, bOff, c, cOff, ldc, add);
                for (int i = 0; i < c.length; i++) {
                    if (Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(want[i])) {
                        throw new AssertionError("kernel " + mr + "×2 (" + mr + "×" + nr + ") kc=" + kc + " add=" + add
                                + " seed=" + seed + ": c[" + i + "] = " + c[i] + ", FMA chain " + want[i]
                                + " (entries outside the tile must be untouched)");
                    }
                }
            }
        }
    }
}
