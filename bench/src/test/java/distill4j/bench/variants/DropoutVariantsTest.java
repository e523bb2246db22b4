package distill4j.bench.variants;

import static org.junit.jupiter.api.Assertions.assertEquals;

import distill4j.kernels.ScalarBackend;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every numbered dropout kernel kept for measurement gives the scalar reference's bits: forward and
 * backward, accumulating or not, odd sizes (head and tail blocks), index bases that are not a multiple
 * of 4 and that cross the 2³² counter-word boundary.
 */
class DropoutVariantsTest {

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2, 3})
    void bitIdenticalToTheScalarReference(int version) {
        ScalarBackend ref = new ScalarBackend();
        long seed = 77 + version;
        Random rnd = new Random(seed);
        for (int n : new int[] {1, 3, 31, 64, 257, 4099}) {
            for (long indexBase : new long[] {0, 5, (1L << 34) - 6}) {
                for (float p : new float[] {0f, 0.2f, 0.5f, 0.9f}) {
                    float[] x = new float[n], y0 = new float[n];
                    for (int i = 0; i < n; i++) {
                        x[i] = (float) rnd.nextGaussian();
                        y0[i] = (float) rnd.nextGaussian();
                    }
                    String where = "v" + version + " n=" + n + " indexBase=" + indexBase + " p=" + p + " seed=" + seed;
                    float[] want = new float[n], got = new float[n];
                    ref.dropout().dropoutForward(x, want, n, p, seed, 3, indexBase);
                    DropoutVariants.forward(version, x, got, n, p, seed, 3, indexBase);
                    assertBits(where + " forward", want, got);
                    float[] wantAcc = y0.clone(), gotAcc = y0.clone();
                    ref.dropout().dropoutBackward(x, wantAcc, n, p, seed, 3, indexBase, true);
                    DropoutVariants.backward(version, x, gotAcc, n, p, seed, 3, indexBase, true);
                    assertBits(where + " backward, accumulating", wantAcc, gotAcc);
                }
            }
        }
    }

    private static void assertBits(String where, float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                    where + ": [" + i + "] = " + got[i] + ", reference " + want[i]);
        }
    }
}
