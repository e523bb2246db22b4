package distill4j.kernels.dropout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Known-answer vectors of Random123 (kat_vectors, philox4x32 with 10 rounds). */
class PhiloxTest {
    private static int[] run(int c0, int c1, int c2, int c3, int k0, int k1) {
        int[] out = new int[4];
        Philox.philox4x32_10(c0, c1, c2, c3, k0, k1, out);
        return out;
    }

    @Test
    void zeroCounterZeroKey() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, run(0, 0, 0, 0, 0, 0));
    }

    @Test
    void allOnes() {
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                run(-1, -1, -1, -1, -1, -1));
    }

    @Test
    void piDigits() {
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                run(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void wordFollowsTheDropoutCounterScheme() {
        long seed = 0x0123456789abcdefL, step = 7, index = (5L << 32) + 4 * 3 + 2;
        long block = index >>> 2;
        int[] out = run((int) block, (int) (block >>> 32), (int) step, 0, (int) seed, (int) (seed >>> 32));
        assertEquals(out[2], Philox.word(seed, step, index));
    }

    @Test
    void uniformIsTheTop24BitsAndKeepRateMatchesP() {
        assertEquals(0f, Philox.uniform(0));
        assertEquals(1f - 0x1p-24f, Philox.uniform(-1));
        int kept = 0, n = 200_000;
        for (int i = 0; i < n; i++) if (Philox.keep(42, 3, i, 0.3f)) kept++;
        // binomial sd = sqrt(n·0.3·0.7) ≈ 205; 5 sd
        assertEquals(0.7 * n, kept, 1025);
    }
}
