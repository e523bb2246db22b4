package distill4j.kernels.gemm;

import distill4j.kernels.simd.SimdParams;
import distill4j.kernels.simd.SimdPool;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Pins the bits of {@link SimdGemm}: every element of C must be exactly what the published MNIST
 * figures were computed with, on every thread count and vector width (CI runs this class with
 * {@code -Ddistill4j.simd.bits=128/256/512}). That product is, per element of C, for each depth slice
 * [pc, pc + kc) of {@link SimdParams#kcFor}(k) in order: a float FMA chain over p in k order starting
 * from 0, then C = acc on the first slice when overwriting, else C = acc + C. The oracle below is that
 * definition written as scalar code; any packing, blocking of M and N, or thread split must reproduce
 * it bit for bit (no split of k, no other summation tree, no change of the slice depths).
 */
class SimdGemmBitsTest {

    private static final int DEFAULT_THREADS = SimdPool.shared().threads();

    @AfterAll
    static void restorePool() {
        SimdPool.setSharedThreads(DEFAULT_THREADS);
    }

    static List<Arguments> cases() {
        String[] shapes = {
            // the MLP's GEMMs (784-1200-1200-10 at batch 128), forward and backward
            "NN-128x1200x784", "NN-128x1200x1200", "NT-128x1200x1200", "TN-1200x1200x128", "TN-784x1200x128",
            "NN-128x10x1200", "NT-128x1200x10", "TN-1200x10x128", "NT-128x784x1200",
            // odd sizes: edge tiles in both directions, several uneven depth slices, row splits (m > n)
            "NN-1x1x1", "NN-7x33x5", "NT-13x67x300", "TN-250x37x513", "NN-37x250x260", "NT-301x45x777",
            "TN-97x301x1031", "NN-600x40x300", "NT-40x600x300",
        };
        List<Arguments> out = new ArrayList<>();
        for (int threads : new int[] {1, 2, 3}) {
            for (String s : shapes) {
                out.add(Arguments.of(s, threads, false));
                out.add(Arguments.of(s, threads, true));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} threads={1} accumulate={2}")
    @MethodSource("cases")
    void sameBitsAsSliceOrderedFmaChains(String shape, int threads, boolean accumulate) {
        String[] parts = shape.split("-");
        GemmLayout layout = GemmLayout.valueOf(parts[0]);
        String[] d = parts[1].split("x");
        int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
        long seed = 1800L + shape.hashCode() * 31L + threads * 2L + (accumulate ? 1 : 0);
        Random rnd = new Random(seed);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < c.length; i++) c[i] = (float) rnd.nextGaussian();
        float[] want = c.clone();
        reference(layout, m, n, k, a, b, want, accumulate);

        SimdPool.setSharedThreads(threads);
        // twice: the second call reuses the pack buffers (stale contents must not leak into C)
        for (int call = 0; call < 2; call++) {
            float[] got = c.clone();
            new SimdGemm().gemm(layout, m, n, k, a, b, got, accumulate);
            for (int i = 0; i < got.length; i++) {
                if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                    throw new AssertionError(shape + " threads=" + threads + " accumulate=" + accumulate + " lanes="
                            + SimdParams.LANES + " call=" + call + " seed=" + seed + ": C[" + i / n + "," + i % n + "] = "
                            + got[i] + ", slice-ordered FMA chain " + want[i]);
                }
            }
        }
    }

    // NN: A (m, k), B (k, n) | NT: A (m, k), B (n, k) | TN: A (k, m), B (k, n)  ->  C (m, n)
    static void reference(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        int kStep = SimdParams.kcFor(k);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float cij = c[i * n + j];
                for (int pc = 0; pc < k; pc += kStep) {
                    int end = Math.min(k, pc + kStep);
                    float acc = 0f;
                    for (int p = pc; p < end; p++) {
                        float aip = layout == GemmLayout.TN ? a[p * m + i] : a[i * k + p];
                        float bpj = layout == GemmLayout.NT ? b[j * k + p] : b[p * n + j];
                        acc = Math.fma(aip, bpj, acc);
                    }
                    cij = pc == 0 && !accumulate ? acc : acc + cij;
                }
                c[i * n + j] = cij;
            }
        }
    }
}
