package distill4j.kernels.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import distill4j.kernels.simd.SimdParams;
import distill4j.kernels.simd.SimdPool;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SimdDropout#keepCount}, the mask-only pass that bench's DropoutBench "philox" peer times: it must
 * count exactly the elements that the scalar {@link Philox#keep} keeps (and that the SIMD kernel keeps),
 * on heads, tails, odd sizes, whole groups and pairs, index bases off a block boundary, and calls large
 * enough to run on the pool (1, 2 and 3 threads).
 */
class SimdDropoutKeepCountTest {
    private static final int DEFAULT_THREADS = SimdPool.shared().threads();
    private static final int[] NS = {0, 1, 2, 3, 4, 5, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 1000, 4099};
    private static final long[] BASES = {0, 1, 2, 3, 5, 4096, (1L << 34) - 13, (1L << 33) + 2};
    private static final long[][] SEED_STEPS = {{42, 0}, {0x0123456789abcdefL, 7}, {-1L, (1L << 33) + 5}};

    @AfterAll
    static void restorePool() {
        SimdPool.setSharedThreads(DEFAULT_THREADS);
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(floats = {0f, 0.2f, 0.5f, 0.9f})
    void countsWhatPhiloxKeeps(float p) {
        for (int n : NS) {
            for (long base : BASES) {
                for (long[] ss : SEED_STEPS) {
                    assertEquals(scalarCount(n, p, ss[0], ss[1], base), SimdDropout.keepCount(n, p, ss[0], ss[1], base),
                            "keepCount n=" + n + " p=" + p + " indexBase=" + base + " seed=" + ss[0] + " step=" + ss[1]);
                }
            }
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2, 3})
    void countsWhatTheKernelKeepsOnThePool(int threads) {
        SimdPool.setSharedThreads(threads);
        // at and above the parallel threshold, with odd sizes and bases (chunks cut on block boundaries)
        int min = SimdParams.DROPOUT_PARALLEL_MIN;
        int[] ns = {min, min + 1, min + 13, 3 * min + 7, 1 << 20};
        long[] bases = {0, 3, (1L << 33) + 2};
        for (int n : ns) {
            for (long base : bases) {
                float p = 0.5f;
                long seed = 42, step = n + base;
                String where = "keepCount n=" + n + " indexBase=" + base + " threads=" + threads + " seed=" + seed + " step=" + step;
                int want = scalarCount(n, p, seed, step, base);
                assertEquals(want, SimdDropout.keepCount(n, p, seed, step, base), where);
                // the kernel itself keeps the same elements
                float[] x = new float[n];
                Arrays.fill(x, 1f);
                new SimdDropout().dropoutForward(x, x, n, p, seed, step, base);
                int nonZero = 0;
                for (float v : x) if (v != 0f) nonZero++;
                assertEquals(want, nonZero, where + ": dropoutForward's kept elements");
            }
        }
    }

    @Test
    void rejectsWhatTheKernelRejects() {
        assertThrows(IllegalArgumentException.class, () -> SimdDropout.keepCount(-1, 0.5f, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SimdDropout.keepCount(10, 1f, 1, 1, 0));
    }

    private static int scalarCount(int n, float p, long seed, long step, long base) {
        int kept = 0;
        for (int i = 0; i < n; i++) if (Philox.keep(seed, step, base + i, p)) kept++;
        return kept;
    }
}
