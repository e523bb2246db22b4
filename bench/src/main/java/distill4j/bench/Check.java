package distill4j.bench;

import java.util.SplittableRandom;

/**
 * Sanity checks run once in each benchmark's setup, so a table never shows the speed of a wrong result
 * (a peer called with the wrong transpose flags, a backend that skips work). Cheap: a few sampled
 * entries, not a full reference GEMM, because the scalar reference at 2048³ takes many seconds.
 */
public final class Check {
    /**
     * Bound for a float32 dot product of length k in any summation order, FMA or not:
     * |c − ref| ≤ γ·Σ|a_p b_p| with γ = (k + 2)·u, u = 2⁻²⁴ (the classical γ_k, slightly padded),
     * plus an absolute floor for sums that cancel to ~0.
     */
    static final double GEMM_UNIT_ROUNDOFF = 0x1p-24;
    static final double GEMM_ATOL = 1e-6;

    /**
     * Calls a memory-bound benchmark makes in its setup before JMH's warm-up. Vector API code is very slow
     * until C2 has compiled it (vectors are boxed in the interpreter and C1: a 128×1000 fused softmax-CE
     * took ~0.3 s per call instead of ~1 ms here), so a few short warm-up iterations of such a kernel can
     * end before it is ever compiled. A fixed number of calls in setup lets the compilers finish first.
     */
    public static final int SETUP_WARMUP_CALLS = 100;

    /** Entries of C checked per benchmark setup. */
    static final int GEMM_SAMPLES = 64;

    private Check() {}

    /** Checks GEMM_SAMPLES random entries of C = op(A)·op(B) against a float64 dot product. */
    public static void gemm(String who, GemmShape s, float[] a, float[] b, float[] c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int t = 0; t < GEMM_SAMPLES; t++) {
            int i = rnd.nextInt(s.m()), j = rnd.nextInt(s.n());
            double ref = 0, mag = 0;
            for (int p = 0; p < s.k(); p++) {
                double x = (double) s.a(a, i, p) * s.b(b, p, j);
                ref += x;
                mag += Math.abs(x);
            }
            double tol = GEMM_ATOL + (s.k() + 2) * GEMM_UNIT_ROUNDOFF * mag;
            double got = c[i * s.n() + j];
            if (!(Math.abs(got - ref) <= tol)) {
                throw new IllegalStateException(who + " gemm " + s + ": C[" + i + "][" + j + "] = " + got
                        + " but the float64 reference is " + ref + " (tolerance " + tol + ", seed " + seed + ")");
            }
        }
    }

    /** Uniform values in [-1, 1) from a fixed seed. */
    public static float[] uniform(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }
}
