package distill4j.engine.nn;

import java.util.SplittableRandom;

/**
 * Weight initialisers. Each draws from the {@link SplittableRandom} it is given, with its own
 * Box–Muller for Gaussians, so the same seed gives the same weights on every JDK.
 * fanIn / fanOut are a Linear layer's in / out sizes.
 */
@FunctionalInterface
public interface Init {
    void fill(float[] values, int fanIn, int fanOut, SplittableRandom rng);

    /** N(0, σ²): the dropout paper's teacher uses σ = 0.01. */
    static Init gaussian(double sigma) {
        return (v, fanIn, fanOut, rng) -> {
            for (int i = 0; i < v.length; i++) v[i] = (float) (sigma * gaussian(rng));
        };
    }

    /** U(−a, a). */
    static Init uniform(double a) {
        return (v, fanIn, fanOut, rng) -> {
            for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * rng.nextDouble() - 1) * a);
        };
    }

    /** Xavier/Glorot uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)). */
    static Init xavierUniform() {
        return (v, fanIn, fanOut, rng) -> uniform(Math.sqrt(6.0 / (fanIn + fanOut))).fill(v, fanIn, fanOut, rng);
    }

    /** He/Kaiming uniform for ReLU: U(−a, a) with a = √(6 / fanIn). */
    static Init heUniform() {
        return (v, fanIn, fanOut, rng) -> uniform(Math.sqrt(6.0 / fanIn)).fill(v, fanIn, fanOut, rng);
    }

    /** PyTorch's nn.Linear default for weights and biases: U(−1/√fanIn, 1/√fanIn). */
    static Init lecunUniform() {
        return (v, fanIn, fanOut, rng) -> uniform(1.0 / Math.sqrt(fanIn)).fill(v, fanIn, fanOut, rng);
    }

    /** All values c (e.g. zero biases). */
    static Init constant(float c) {
        return (v, fanIn, fanOut, rng) -> java.util.Arrays.fill(v, c);
    }

    static Init zeros() {
        return constant(0f);
    }

    /** A standard normal draw by Box–Muller from two uniforms (rng.nextDouble() is specified exactly). */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log is finite
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
