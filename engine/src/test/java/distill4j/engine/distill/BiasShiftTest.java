package distill4j.engine.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BiasShiftTest {
    static final long SEED = 314159L;

    static int predictedIn(float[] logits, int rows, int cols, int[] classes, double delta) {
        float[] z = logits.clone();
        BiasShift.apply(z, rows, cols, classes, delta);
        int n = 0;
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int j = 1; j < cols; j++) if (z[i * cols + j] > z[i * cols + best]) best = j;
            for (int c : classes) if (best == c) n++;
        }
        return n;
    }

    @Test
    void shiftGivesExactlyTheTargetCountForEveryK() {
        SplittableRandom r = new SplittableRandom(SEED);
        int rows = 97, cols = 10;
        float[] z = new float[rows * cols];
        for (int i = 0; i < z.length; i++) z[i] = (float) (r.nextGaussian() * 3);
        for (int[] classes : new int[][] {{3}, {7, 8}, {0, 1, 2, 3, 4, 5, 6, 7, 8}}) {
            for (int k = 0; k <= rows; k++) {
                double d = BiasShift.shiftForCount(z, rows, cols, classes, k);
                assertEquals(k, predictedIn(z, rows, cols, classes, d), "seed " + SEED + " classes " + java.util.Arrays.toString(classes) + " k " + k);
            }
        }
    }

    @Test
    void matchPriorRaisesASuppressedClassAndLowersAnInflatedOne() {
        SplittableRandom r = new SplittableRandom(SEED + 1);
        int rows = 500, cols = 10;
        float[] z = new float[rows * cols];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = r.nextInt(cols);
            for (int j = 0; j < cols; j++) z[i * cols + j] = (float) r.nextGaussian();
            z[i * cols + labels[i]] += 4f;
        }
        float[] suppressed = z.clone();
        for (int i = 0; i < rows; i++) suppressed[i * cols + 3] -= 6f; // a class the model never predicts
        double up = BiasShift.matchPrior(suppressed, labels, cols, new int[] {3});
        assertTrue(up > 3 && up < 9, "seed " + SEED + ": shift " + up);
        float[] inflated = z.clone();
        for (int i = 0; i < rows; i++) { inflated[i * cols + 7] += 7f; inflated[i * cols + 8] += 7f; }
        double down = BiasShift.matchPrior(inflated, labels, cols, new int[] {7, 8});
        assertTrue(down < -4 && down > -10, "seed " + SEED + ": shift " + down);
        // after the shift the errors drop back towards the unshifted model's
        int prior78 = 0;
        for (int y : labels) if (y == 7 || y == 8) prior78++;
        assertEquals(prior78, predictedIn(inflated, rows, cols, new int[] {7, 8}, down));
    }

    @Test
    void badInputIsRejected() {
        float[] z = new float[20];
        assertThrows(IllegalArgumentException.class, () -> BiasShift.shiftForCount(z, 2, 10, new int[] {10}, 1));
        assertThrows(IllegalArgumentException.class, () -> BiasShift.shiftForCount(z, 2, 10, new int[] {3}, 3));
        assertThrows(IllegalArgumentException.class, () -> BiasShift.shiftForCount(z, 3, 10, new int[] {3}, 1));
    }
}
