package distill4j.kernels.dropout;

/**
 * Philox4x32-10, the counter-based generator of Salmon et al., "Parallel Random Numbers: As Easy as
 * 1, 2, 3" (SC 2011), as in Random123. A counter of four 32-bit words and a key of two are mixed by ten
 * rounds into four random 32-bit words; no state is carried, so any element's random number can be
 * computed independently, in any order, on any device.
 *
 * <p>The dropout scheme every backend shares (CPU scalar, SIMD, CUDA):
 * <pre>
 *   element index i (long), step s (long), seed (long)
 *   block  b = i &gt;&gt;&gt; 2, lane = i &amp; 3
 *   counter = (lo32(b), hi32(b), lo32(s), hi32(s)),  key = (lo32(seed), hi32(seed))
 *   word    = philox4x32_10(counter, key)[lane]
 *   u       = (word &gt;&gt;&gt; 8) · 2⁻²⁴            (exact float in [0, 1))
 *   keep    = u ≥ p
 * </pre>
 */
public final class Philox {
    static final int M0 = 0xD2511F53;
    static final int M1 = 0xCD9E8D57;
    static final int W0 = 0x9E3779B9;
    static final int W1 = 0xBB67AE85;

    private Philox() {}

    /**
     * Ten Philox rounds on counter (c0..c3) with key (k0, k1); writes the four output words to
     * {@code out[0..3]}.
     */
    public static void philox4x32_10(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            // 32×32 → 64-bit products of the unsigned words
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            int n0 = hi1 ^ c1 ^ k0;
            int n2 = hi0 ^ c3 ^ k1;
            c0 = n0;
            c1 = lo1;
            c2 = n2;
            c3 = lo0;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** The random 32-bit word of element {@code index} at {@code step} under {@code seed}. */
    public static int word(long seed, long step, long index) {
        int[] out = new int[4];
        long block = index >>> 2;
        philox4x32_10((int) block, (int) (block >>> 32), (int) step, (int) (step >>> 32),
                (int) seed, (int) (seed >>> 32), out);
        return out[(int) (index & 3)];
    }

    /** Uniform float in [0, 1) from a Philox word: its top 24 bits times 2⁻²⁴ (exact). */
    public static float uniform(int word) {
        return (word >>> 8) * 0x1p-24f;
    }

    /** Dropout's keep decision for one element: {@code uniform(word(seed, step, index)) >= p}. */
    public static boolean keep(long seed, long step, long index, float p) {
        return uniform(word(seed, step, index)) >= p;
    }
}
