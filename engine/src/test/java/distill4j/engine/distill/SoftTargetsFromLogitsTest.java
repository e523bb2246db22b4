package distill4j.engine.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.Tensor;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.loss.Losses;
import distill4j.engine.loss.Reduction;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a tool that caches teacher logits needs from the engine: soft targets from logits (the same
 * numbers as the teacher's own), one temperature check for every entry point, and the entropy that
 * turns the distillation loss's soft cross-entropy into the KL divergence it is shown as.
 */
class SoftTargetsFromLogitsTest {
    static final long SEED = 20150309L;
    /** double reference against float32 accumulation over a few hundred terms. */
    static final double ATOL = 1e-9, RTOL = 1e-6;

    static Tensor randomLogits(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * 5);
        return Tensor.of(v, rows, cols);
    }

    @Test
    void fromLogitsIsTheTeachersSoftmaxAtT() {
        Tensor v = randomLogits(33, 10, SEED);
        for (float t : new float[] {1f, 2.5f, 20f}) {
            Tensor p = SoftTargets.fromLogits(v, t);
            assertArrayEquals(new DistillationLoss(1, t).softTargets(v).data(), p.data(), "T " + t + " (seed " + SEED + ")");
        }
    }

    /** One check of T, in Losses.checkTemperature: every entry point gives its message. */
    @Test
    void temperatureIsCheckedInOnePlace() {
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            String expected = "temperature T must be finite and > 0, got T = " + bad;
            Tensor v = randomLogits(2, 3, SEED);
            IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> Losses.checkTemperature("x", bad));
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> SoftTargets.fromLogits(v, bad));
            IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(1, bad));
            IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                    () -> SoftTargets.compute((x, t) -> x, v, bad, 1));
            for (IllegalArgumentException e : new IllegalArgumentException[] {a, b, c, d}) {
                assertTrue(e.getMessage().endsWith(expected), e.getMessage());
            }
        }
        assertEquals(2.5f, Losses.checkTemperature("x", 2.5f));
    }

    /** compute − entropyOffset = α·T²·KL(p‖q) + (1 − α)·CE: the soft term shown as a KL divergence. */
    @Test
    void entropyOffsetTurnsTheSoftCrossEntropyIntoKl() {
        Tensor z = randomLogits(17, 10, SEED + 1);
        Tensor p = SoftTargets.fromLogits(randomLogits(17, 10, SEED + 2), 4f);
        int[] y = new int[17];
        for (int i = 0; i < y.length; i++) y[i] = i % 10;
        for (float alpha : new float[] {1f, 0.9f}) {
            DistillationLoss d = new DistillationLoss(alpha, 4f);
            double shown = d.compute(z, p, alpha < 1 ? y : null).item() - d.entropyOffset(p);
            double kl = Losses.klDivergence(z, p, 4f, Reduction.BATCH_MEAN).item();
            double hard = alpha < 1 ? Losses.crossEntropy(z, y).item() : 0;
            double expected = alpha * 16 * kl + (1 - alpha) * hard;
            assertEquals(expected, shown, ATOL + 1e-5 * Math.abs(expected), "alpha " + alpha + " (seed " + SEED + ")");
        }
        assertEquals(0.0, new DistillationLoss(0, 4f).entropyOffset(p));
        // entropy of a uniform row is log C; of a one-hot row 0
        Tensor u = Tensor.of(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 1f, 0f, 0f, 0f}, 2, 4);
        assertEquals(Math.log(4), Losses.entropy(u), ATOL + RTOL * Math.log(4));
    }
}
