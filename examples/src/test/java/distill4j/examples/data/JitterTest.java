package distill4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JitterTest {
    static final long SEED = 42L;

    @Test
    void shiftsStayWithinTwoPixelsAndCoverAllTwentyFive() {
        Jitter j = new Jitter(SEED, 2);
        int[][] seen = new int[5][5];
        for (int i = 0; i < 20_000; i++) {
            int dx = j.dx(3, i), dy = j.dy(3, i);
            assertTrue(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, "seed " + SEED + " index " + i + ": " + dx + "," + dy);
            seen[dy + 2][dx + 2]++;
        }
        // each of the 25 shifts has probability 1/25: expect 800 ± a generous 5 sigma (~140)
        for (int[] row : seen) for (int n : row) assertTrue(Math.abs(n - 800) < 140, "seed " + SEED + ": count " + n);
    }

    @Test
    void shiftsArePureFunctionsOfSeedEpochIndex() {
        Jitter a = new Jitter(SEED, 2), b = new Jitter(SEED, 2), c = new Jitter(SEED + 1, 2);
        int differentEpoch = 0, differentSeed = 0;
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.dx(5, i), b.dx(5, i));
            assertEquals(a.dy(5, i), b.dy(5, i));
            if (a.dx(5, i) != a.dx(6, i)) differentEpoch++;
            if (a.dx(5, i) != c.dx(5, i)) differentSeed++;
        }
        assertTrue(differentEpoch > 600, "epochs must draw new shifts: " + differentEpoch);
        assertTrue(differentSeed > 600, "seeds must draw new shifts: " + differentSeed);
    }

    @Test
    void translateMovesPixelsAndZeroFillsBorder() {
        int rows = 6, cols = 7;
        byte[] src = new byte[rows * cols];
        new SplittableRandom(SEED).nextBytes(src);
        Jitter j = new Jitter(SEED, 2);
        float[] dst = new float[rows * cols + 3];
        int checked = 0;
        for (int idx = 0; idx < 50; idx++) {
            j.translate(src, 0, rows, cols, dst, 3, 1, idx);
            int dx = j.dx(1, idx), dy = j.dy(1, idx);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int sr = r - dy, sc = c - dx;
                    float want = sr < 0 || sr >= rows || sc < 0 || sc >= cols ? 0f : (src[sr * cols + sc] & 0xFF) / 255f;
                    assertEquals(want, dst[3 + r * cols + c], 1e-7f, "index " + idx + " at " + r + "," + c);
                    checked++;
                }
            }
        }
        assertEquals(50 * rows * cols, checked);
    }

    @Test
    void translateWritesEveryPixelExactlyAndNothingElseEvenWhenShiftsExceedTheImage() {
        // shifts up to 8 px on images 1–9 px wide: whole rows and columns shifted out must come out 0
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int cols = 1; cols <= 9; cols++) {
            for (int rows = 1; rows <= 3; rows++) {
                byte[] src = new byte[rows * cols];
                rnd.nextBytes(src);
                Jitter j = new Jitter(SEED + cols, 8);
                for (int idx = 0; idx < 40; idx++) {
                    float[] dst = new float[rows * cols + 4];
                    java.util.Arrays.fill(dst, Float.NaN); // every image pixel must be written; the 2 guards either side not
                    j.translate(src, 0, rows, cols, dst, 2, 0, idx);
                    int dx = j.dx(0, idx), dy = j.dy(0, idx);
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++) {
                            int sr = r - dy, sc = c - dx;
                            float want = sr < 0 || sr >= rows || sc < 0 || sc >= cols ? 0f : (src[sr * cols + sc] & 0xFF) * (1f / 255f);
                            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(dst[2 + r * cols + c]),
                                    "seed " + (SEED + cols) + " " + rows + "x" + cols + " index " + idx + " shift " + dx + "," + dy + " at " + r + "," + c);
                        }
                    }
                    for (int g : new int[] {0, 1, rows * cols + 2, rows * cols + 3}) assertTrue(Float.isNaN(dst[g]), "guard " + g + " written");
                }
            }
        }
    }

    @Test
    void zeroShiftIsIdentityAndBadShiftRejected() {
        Jitter j = new Jitter(SEED, 0);
        byte[] src = {10, 20, 30, 40};
        float[] dst = new float[4];
        j.translate(src, 0, 2, 2, dst, 0, 0, 0);
        assertEquals(20 / 255f, dst[1], 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> new Jitter(SEED, -1));
        assertNotEquals(0, new Jitter(SEED, 2).maxShift());
    }
}
