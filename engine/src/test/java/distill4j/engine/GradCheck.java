package distill4j.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * Gradient check against a float64 reference: the engine's float32 op with autograd gives the
 * vector-Jacobian product Rᵀ·J for a fixed random R; central finite differences of the float64
 * reference of the same math give it independently. Both are evaluated at the same (float32-exact)
 * inputs. Forward values are compared too.
 */
public final class GradCheck {
    /** Forward: float32 op vs float64 reference (float32 rounding of sums of a few hundred terms). */
    public static final double FWD_ATOL = 1e-5, FWD_RTOL = 1e-4;
    /** Gradients: float32 analytic vs float64 central differences (h below); covers float32 rounding in backward. */
    public static final double GRAD_ATOL = 1e-4, GRAD_RTOL = 1e-3;
    /** Finite-difference step; the reference is float64, so truncation (h²) and rounding (ε/h) errors are ~1e-10. */
    public static final double H = 1e-5;

    @FunctionalInterface
    public interface EngineFn {
        Tensor apply(Tensor[] xs);
    }

    @FunctionalInterface
    public interface RefFn {
        double[] apply(double[][] xs);
    }

    private GradCheck() {}

    /** Inputs with values uniform in [lo, hi), as float32-exact doubles. */
    public static double[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return v;
    }

    /** Values uniform in ±[lo, hi) (away from 0, for ReLU's kink). */
    public static double[] awayFromZero(SplittableRandom rng, int n, double lo, double hi) {
        double[] v = uniform(rng, n, lo, hi);
        for (int i = 0; i < n; i++) if (rng.nextBoolean()) v[i] = -v[i];
        return v;
    }

    public static Tensor tensor(double[] values, int... shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return Tensor.of(f, shape);
    }

    /**
     * Checks forward values and the gradient of every input.
     * @param what   names the op, the case and the seed in failure messages
     * @param inputs float32-exact input values; shapes[i] is input i's shape
     */
    public static void check(String what, long seed, EngineFn f, RefFn ref, double[][] inputs, int[][] shapes) {
        check(what, seed, f, ref, inputs, shapes, GRAD_ATOL, GRAD_RTOL);
    }

    public static void check(String what, long seed, EngineFn f, RefFn ref, double[][] inputs, int[][] shapes,
                             double gradAtol, double gradRtol) {
        String tag = what + " (seed " + seed + ")";
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < xs.length; i++) xs[i] = tensor(inputs[i], shapes[i]).requiresGrad(true);
        Tensor y = f.apply(xs);
        double[] yRef = ref.apply(inputs);
        assertClose(tag + " forward", y.data(), yRef, FWD_ATOL, FWD_RTOL);

        // R: the upstream gradient, fixed by the seed
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double[] r = uniform(rng, y.numel(), -1, 1);
        y.backward(tensor(r, y.shape()));

        for (int i = 0; i < inputs.length; i++) {
            double[] numeric = new double[inputs[i].length];
            for (int j = 0; j < numeric.length; j++) {
                double keep = inputs[i][j];
                inputs[i][j] = keep + H;
                double plus = dot(r, ref.apply(inputs));
                inputs[i][j] = keep - H;
                double minus = dot(r, ref.apply(inputs));
                inputs[i][j] = keep;
                numeric[j] = (plus - minus) / (2 * H);
            }
            Tensor g = xs[i].grad();
            if (g == null) fail(tag + ": input " + i + " received no gradient");
            assertClose(tag + " gradient of input " + i, g.data(), numeric, gradAtol, gradRtol);
        }

        // A second backward pass must add the same gradient again: every rule accumulates, none overwrites.
        float[][] first = new float[xs.length][];
        for (int i = 0; i < xs.length; i++) first[i] = xs[i].grad().toArray();
        y.backward(tensor(r, y.shape()));
        for (int i = 0; i < xs.length; i++) {
            double[] twice = new double[first[i].length];
            for (int j = 0; j < twice.length; j++) twice[j] = 2.0 * first[i][j];
            assertClose(tag + " accumulated gradient of input " + i + " after a second backward", xs[i].grad().data(),
                    twice, 1e-6, 1e-5);
        }
    }

    static double dot(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("reference output has " + b.length + " values, engine " + a.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** |actual − expected| ≤ atol + rtol·|expected| element-wise, or fails naming the first bad element. */
    public static void assertClose(String what, float[] actual, double[] expected, double atol, double rtol) {
        if (actual.length != expected.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (error " + err
                        + ", tolerance " + (atol + rtol * Math.abs(expected[i])) + ")");
            }
        }
    }

    public static void assertClose(String what, double actual, double expected, double atol, double rtol) {
        assertClose(what, new float[] {(float) actual}, new double[] {expected}, atol, rtol);
    }
}
