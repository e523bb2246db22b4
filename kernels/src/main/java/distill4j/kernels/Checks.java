package distill4j.kernels;

import distill4j.kernels.gemm.GemmLayout;

/**
 * The argument checks every backend shares, in one place: each family's scalar, SIMD and CUDA
 * implementation calls these at entry, so a bad call fails with the same message on every backend.
 * All are O(1) except {@link #labels}, which is O(rows). Internal to the kernel families.
 */
public final class Checks {
    private Checks() {}

    /** Two arrays of n elements each. */
    public static void vectors(String op, int n, String an, float[] a, String bn, float[] b) {
        if (n < 0) throw new IllegalArgumentException(op + ": negative size n=" + n);
        if (a.length < n || b.length < n) {
            throw new IllegalArgumentException(op + ": n=" + n + " but " + an + " has " + a.length + " and " + bn
                    + " has " + b.length + " elements");
        }
    }

    /** Two arrays of rows × cols each. */
    public static void matrices(String op, int rows, int cols, String an, float[] a, String bn, float[] b) {
        matrices(op, rows, cols, an, a, (long) rows * cols, bn, b, (long) rows * cols);
    }

    /** Two arrays of the given lengths, for a rows × cols operation. */
    public static void matrices(String op, int rows, int cols, String an, float[] a, long aLen, String bn, float[] b,
                                long bLen) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(op + ": negative shape " + rows + "×" + cols);
        if (a.length < aLen || b.length < bLen) {
            throw new IllegalArgumentException(op + " (" + rows + "×" + cols + "): " + an + " has " + a.length
                    + " elements (needs " + aLen + "), " + bn + " has " + b.length + " (needs " + bLen + ")");
        }
    }

    /** GEMM shapes, lengths and aliasing (see {@link distill4j.kernels.gemm.GemmKernels#gemm}). */
    public static void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c) {
        if (layout == null) throw new NullPointerException("gemm: layout is null");
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm " + layout + ": negative size m=" + m + " n=" + n + " k=" + k);
        }
        long aNeed = (long) m * k, bNeed = (long) k * n, cNeed = (long) m * n;
        if (a.length < aNeed || b.length < bNeed || c.length < cNeed) {
            throw new IllegalArgumentException("gemm " + layout + " (m=" + m + ", n=" + n + ", k=" + k + "): arrays too short: A has "
                    + a.length + " (needs " + aNeed + "), B " + b.length + " (needs " + bNeed + "), C " + c.length
                    + " (needs " + cNeed + ")");
        }
        if (c == a || c == b) throw new IllegalArgumentException("gemm " + layout + ": C must not alias A or B");
    }

    /** Softmax temperature: positive and finite. */
    public static void temperature(String op, float t) {
        if (!(t > 0f) || Float.isInfinite(t)) {
            throw new IllegalArgumentException(op + ": temperature must be positive and finite, got " + t);
        }
    }

    /** Hard labels: at least rows of them, each in [0, cols). */
    public static void labels(String op, int[] labels, int rows, int cols) {
        if (labels.length < rows) {
            throw new IllegalArgumentException(op + ": labels has " + labels.length + " entries, needs "
                    + rows + " (logits " + rows + "×" + cols + ")");
        }
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= cols) {
                throw new IllegalArgumentException(op + ": label " + labels[r] + " of row " + r
                        + " is outside [0, " + cols + ")");
            }
        }
    }

    /** Dropout probability in [0, 1), and a non-negative index range. */
    public static void dropout(String op, int n, float p, long indexBase) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException(op + ": dropout probability p must be in [0, 1), got " + p);
        }
        if (n < 0 || indexBase < 0) {
            throw new IllegalArgumentException(op + ": n and indexBase must be ≥ 0, got n=" + n + " indexBase=" + indexBase);
        }
    }

    /** SGD: a velocity buffer is needed unless momentum is 0. */
    public static void sgdVelocity(float[] v, float momentum) {
        if (v == null && momentum != 0f) {
            throw new IllegalArgumentException("sgdUpdate: momentum " + momentum
                    + " needs a velocity buffer, but v is null (null is allowed only with momentum 0)");
        }
    }

    /** Adam: t is the step count after increment, ≥ 1 (t = 0 divides by 1 − β⁰ = 0). */
    public static void adamStep(long t) {
        if (t < 1) {
            throw new IllegalArgumentException("adamUpdate: step t must be ≥ 1 (the count after increment), got " + t);
        }
    }

    /** Max-norm: the bound is ≥ 0 (and not NaN). */
    public static void maxNorm(float maxNorm) {
        if (!(maxNorm >= 0f)) throw new IllegalArgumentException("maxNormRows: maxNorm must be ≥ 0, got " + maxNorm);
    }
}
