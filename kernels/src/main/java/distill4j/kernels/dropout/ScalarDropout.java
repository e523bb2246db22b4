package distill4j.kernels.dropout;

import distill4j.kernels.Checks;

/** Reference dropout: one {@link Philox#keep} call per element. */
public final class ScalarDropout implements DropoutKernels {

    // x (n) -> y (n) = x · keep / (1 − p); keep from Philox(seed, step, indexBase + i)
    @Override
    public void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase) {
        Checks.dropout("dropoutForward", n, p, indexBase);
        Checks.vectors("dropoutForward", n, "x", x, "y", y);
        float scale = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            y[i] = Philox.keep(seed, step, indexBase + i, p) ? x[i] * scale : 0f;
        }
    }

    // dy (n) -> dx (n) = dy · keep / (1 − p), or dx += that
    @Override
    public void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step, long indexBase,
                                boolean accumulate) {
        Checks.dropout("dropoutBackward", n, p, indexBase);
        Checks.vectors("dropoutBackward", n, "dy", dy, "dx", dx);
        float scale = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            float v = Philox.keep(seed, step, indexBase + i, p) ? dy[i] * scale : 0f;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }
}
