package distill4j.bench;

import distill4j.kernels.gemm.GemmLayout;

/**
 * A GEMM shape as written in the {@code shape} @Param: {@code LAYOUT-MxNxK}, e.g. "NT-128x1200x1200"
 * is C (128, 1200) = A (128, 1200) · B (1200, 1200)ᵀ. Sizes follow {@link distill4j.kernels.Backend#gemm}.
 */
public record GemmShape(GemmLayout layout, int m, int n, int k) {

    public static GemmShape parse(String s) {
        String[] parts = s.trim().split("-", 2);
        String[] dims = parts.length == 2 ? parts[1].split("x") : new String[0];
        if (dims.length != 3) {
            throw new IllegalArgumentException("gemm shape '" + s + "': expected LAYOUT-MxNxK, e.g. NN-128x1200x784");
        }
        GemmLayout layout;
        try {
            layout = GemmLayout.valueOf(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gemm shape '" + s + "': layout must be NN, NT or TN, got " + parts[0]);
        }
        int m = positive(s, dims[0]), n = positive(s, dims[1]), k = positive(s, dims[2]);
        return new GemmShape(layout, m, n, k);
    }

    private static int positive(String s, String v) {
        try {
            int x = Integer.parseInt(v);
            if (x > 0) return x;
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("gemm shape '" + s + "': sizes must be positive integers, got " + v);
    }

    public int aLength() { return m * k; }
    public int bLength() { return k * n; }
    public int cLength() { return m * n; }

    /** Floating-point operations of one C = op(A)·op(B): 2·M·N·K. */
    public double flops() { return 2.0 * m * n * k; }

    /** op(A)[i][p] with A stored as the layout says. */
    public float a(float[] a, int i, int p) { return layout == GemmLayout.TN ? a[p * m + i] : a[i * k + p]; }

    /** op(B)[p][j] with B stored as the layout says. */
    public float b(float[] b, int p, int j) { return layout == GemmLayout.NT ? b[j * k + p] : b[p * n + j]; }
}
