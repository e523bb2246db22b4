package distill4j.kernels.dropout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.kernels.Backend;
import distill4j.kernels.ContractBase;
import distill4j.kernels.ScalarBackend;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backend contract rows of the dropout family (see {@link ContractBase}): each test runs the backend
 * under test and the scalar reference on the same inputs and compares within the named tolerances.
 * Dropout: bit-identical to the scalar reference, keep rate, scale, bad p.
 */
public abstract class DropoutContract extends ContractBase {

    // ---------------------------------------------------------------- dropout

    @ParameterizedTest(name = "p={0}")
    @ValueSource(floats = {0f, 0.1f, 0.2f, 0.5f, 0.9f})
    void dropoutIsBitIdenticalToScalar(float p) {
        long seed = 8000 + Float.floatToIntBits(p);
        Random rnd = new Random(seed);
        int[] ns = {0, 1, 3, 4, 5, 31, 32, 33, 63, 64, 65, 100, 1000, 4099};
        long[] bases = {0, 1, 2, 3, 5, 4096, (1L << 34) - 13, (1L << 33) + 2};
        long[][] seedSteps = {{42, 0}, {0x0123456789abcdefL, 7}, {-1L, (1L << 33) + 5}};
        for (int n : ns) {
            for (long base : bases) {
                for (long[] ss : seedSteps) {
                    String where = "dropout n=" + n + " p=" + p + " indexBase=" + base + " seed=" + ss[0] + " step=" + ss[1]
                            + " (data seed " + seed + ")";
                    float[] x = normal(rnd, n, 1f);
                    float[] got = new float[n], want = new float[n];
                    backend().dropout().dropoutForward(x, got, n, p, ss[0], ss[1], base);
                    ref.dropout().dropoutForward(x, want, n, p, ss[0], ss[1], base);
                    assertBitIdentical(where + " forward", want, got);
                    float[] inPlace = x.clone();
                    backend().dropout().dropoutForward(inPlace, inPlace, n, p, ss[0], ss[1], base);
                    assertBitIdentical(where + " forward in place", want, inPlace);
                    float[] dy = normal(rnd, n, 1f);
                    for (boolean acc : new boolean[] {false, true}) {
                        float[] d0 = normal(rnd, n, 1f);
                        float[] g = d0.clone(), w = d0.clone();
                        backend().dropout().dropoutBackward(dy, g, n, p, ss[0], ss[1], base, acc);
                        ref.dropout().dropoutBackward(dy, w, n, p, ss[0], ss[1], base, acc);
                        assertBitIdentical(where + " backward acc=" + acc, w, g);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(floats = {0.2f, 0.5f})
    void dropoutKeepsOneMinusPAndScalesKeptValues(float p) {
        int n = 100_003;
        float[] x = new float[n];
        Arrays.fill(x, 1f);
        float[] y = new float[n];
        backend().dropout().dropoutForward(x, y, n, p, 99, 1, 17);
        int kept = 0;
        float scale = 1f / (1f - p);
        for (float v : y) {
            if (v != 0f) {
                kept++;
                assertEquals(scale, v, "kept values are x / (1 − p)");
            }
        }
        // binomial sd = sqrt(n p (1 − p)) ≤ 159; 6 sd
        assertEquals((1 - p) * n, kept, 6 * Math.sqrt(n * p * (1 - p)), "keep count at p=" + p);
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(floats = {-0.1f, 1f, Float.NaN})
    void dropoutRejectsBadP(float p) {
        float[] x = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend().dropout().dropoutForward(x, x, 4, p, 1, 1, 0));
        assertTrue(e.getMessage().contains(String.valueOf(p)), e.getMessage());
    }
}
