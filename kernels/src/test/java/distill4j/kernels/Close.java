package distill4j.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Comparison with a named tolerance, |actual − expected| ≤ atol + rtol·|expected|, and random inputs. */
public final class Close {
    private Close() {}

    public static void assertClose(double expected, double actual, double atol, double rtol, String what) {
        if (Double.isNaN(expected) || Double.isNaN(actual) || Math.abs(actual - expected) > atol + rtol * Math.abs(expected)) {
            fail(what + ": expected " + expected + " got " + actual + " (|diff| " + Math.abs(actual - expected)
                    + " > atol " + atol + " + rtol " + rtol + "·|expected|)");
        }
    }

    public static void assertFinite(float[] a, int n, String what) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(a[i])) fail(what + ": element " + i + " is " + a[i]);
        }
    }

    /** n floats uniform in [−scale, scale). */
    public static float[] uniform(Random rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        return a;
    }
}
