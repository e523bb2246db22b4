package distill4j.kernels.optim;

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
 * The backend contract rows of the optim family (see {@link ContractBase}): each test runs the backend
 * under test and the scalar reference on the same inputs and compares within the named tolerances.
 * SGD (momentum, dampening, Nesterov, weight decay), Adam, max-norm.
 */
public abstract class OptimContract extends ContractBase {

    // ---------------------------------------------------------------- optimizers

    static Stream<Arguments> sgdCases() {
        return Stream.of(
                Arguments.of(0f, 0f, 0f, false),
                Arguments.of(0.9f, 0f, 0f, false),
                Arguments.of(0.9f, 0.1f, 1e-4f, false),
                Arguments.of(0.99f, 0f, 5e-4f, true),
                Arguments.of(0.5f, 0.5f, 0f, true));
    }

    @ParameterizedTest(name = "momentum={0} dampening={1} wd={2} nesterov={3}")
    @MethodSource("sgdCases")
    void sgd(float momentum, float dampening, float weightDecay, boolean nesterov) {
        long seed = 11_000 + Float.floatToIntBits(momentum) + Float.floatToIntBits(weightDecay) + (nesterov ? 1 : 0);
        Random rnd = new Random(seed);
        for (int n : new int[] {1, 15, 17, 67, 1000}) {
            String where = "sgd n=" + n + " seed=" + seed;
            float[] w1 = normal(rnd, n, 1f), w2 = w1.clone();
            float[] v1 = new float[n], v2 = new float[n];
            for (int step = 0; step < 3; step++) {
                float[] g = normal(rnd, n, 1f);
                backend().optim().sgdUpdate(n, w1, g, v1, 0.1f, momentum, dampening, weightDecay, nesterov);
                ref.optim().sgdUpdate(n, w2, g, v2, 0.1f, momentum, dampening, weightDecay, nesterov);
            }
            assertAllClose(where + " w", w2, w1, OPTIM_ATOL, OPTIM_RTOL);
            assertAllClose(where + " v", v2, v1, OPTIM_ATOL, OPTIM_RTOL);
            if (momentum == 0f) {
                float[] w3 = normal(rnd, n, 1f), w4 = w3.clone(), g = normal(rnd, n, 1f);
                backend().optim().sgdUpdate(n, w3, g, null, 0.1f, 0f, 0f, weightDecay, false);
                ref.optim().sgdUpdate(n, w4, g, null, 0.1f, 0f, 0f, weightDecay, false);
                assertAllClose(where + " w (no velocity)", w4, w3, OPTIM_ATOL, OPTIM_RTOL);
            }
        }
    }

    @ParameterizedTest(name = "weightDecay={0}")
    @ValueSource(floats = {0f, 1e-2f})
    void adam(float weightDecay) {
        long seed = 12_000 + Float.floatToIntBits(weightDecay);
        Random rnd = new Random(seed);
        for (int n : new int[] {1, 15, 17, 67, 1000}) {
            String where = "adam n=" + n + " seed=" + seed;
            float[] w1 = normal(rnd, n, 1f), w2 = w1.clone();
            float[] m1 = new float[n], m2 = new float[n], v1 = new float[n], v2 = new float[n];
            for (long t = 1; t <= 4; t++) {
                float[] g = normal(rnd, n, 1f);
                backend().optim().adamUpdate(n, w1, g, m1, v1, 1e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, t);
                ref.optim().adamUpdate(n, w2, g, m2, v2, 1e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, t);
            }
            assertAllClose(where + " w", w2, w1, ADAM_ATOL, ADAM_RTOL);
            assertAllClose(where + " m", m2, m1, ADAM_ATOL, ADAM_RTOL);
            assertAllClose(where + " v", v2, v1, ADAM_ATOL, ADAM_RTOL);
        }
    }

    @ParameterizedTest(name = "maxNorm={0}")
    @ValueSource(floats = {0.5f, 3f, 1e3f})
    void maxNormRows(float maxNorm) {
        long seed = 13_000 + Float.floatToIntBits(maxNorm);
        Random rnd = new Random(seed);
        for (int[] sh : new int[][] {{1, 1}, {3, 17}, {10, 67}, {12, 784}}) {
            int rows = sh[0], cols = sh[1];
            String where = "maxNormRows " + rows + "×" + cols + " maxNorm=" + maxNorm + " seed=" + seed;
            float[] w1 = normal(rnd, rows * cols, 1f), w2 = w1.clone();
            backend().optim().maxNormRows(w1, rows, cols, maxNorm);
            ref.optim().maxNormRows(w2, rows, cols, maxNorm);
            assertAllClose(where, w2, w1, OPTIM_ATOL, OPTIM_RTOL);
            for (int r = 0; r < rows; r++) {
                double sq = 0;
                for (int j = 0; j < cols; j++) sq += (double) w1[r * cols + j] * w1[r * cols + j];
                assertTrue(Math.sqrt(sq) <= maxNorm * (1 + 1e-5), where + ": row " + r + " norm " + Math.sqrt(sq));
            }
        }
    }
}
