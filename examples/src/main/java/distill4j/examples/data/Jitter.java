package distill4j.examples.data;

import distill4j.kernels.dropout.Philox;

/**
 * The teacher's input jitter (Hinton et al. 2015, §3: "the input images were jittered by up to two
 * pixels in any direction"): each image is translated by an integer (dx, dy) ∈ [−max, max]², the
 * uncovered border filled with 0 (background).
 *
 * <p>The shift is a pure function of (seed, epoch, example index), drawn from Philox4x32-10, so a
 * resumed run sees exactly the shifts of an uninterrupted one and no generator state needs saving.
 */
public final class Jitter {
    /** Mixed into the seed so jitter draws never coincide with dropout masks of the same seed. */
    private static final long SALT = 0x4A49545445520001L; // "JITTER" 1

    private final long seed;
    private final int max;

    public Jitter(long seed, int maxShift) {
        if (maxShift < 0 || maxShift > 8) {
            throw new IllegalArgumentException("jitter: max shift " + maxShift + " is not in 0..8 pixels");
        }
        this.seed = seed ^ SALT;
        this.max = maxShift;
    }

    public int maxShift() { return max; }

    /** Horizontal shift of example {@code index} in {@code epoch}, in [−max, max]. */
    public int dx(long epoch, long index) { return draw(epoch, 2 * index); }

    /** Vertical shift of example {@code index} in {@code epoch}, in [−max, max]. */
    public int dy(long epoch, long index) { return draw(epoch, 2 * index + 1); }

    private int draw(long epoch, long counter) {
        // floor(u · (2·max + 1)) with u an exact float in [0, 1): uniform over the 2·max + 1 shifts
        int k = (int) (Philox.uniform(Philox.word(seed, epoch, counter)) * (2 * max + 1));
        return Math.min(k, 2 * max) - max;
    }

    /**
     * src (rows, cols) bytes at {@code srcOff} → dst (rows, cols) floats in [0, 1] at {@code dstOff},
     * translated: dst(r, c) = src(r − dy, c − dx), 0 outside the image.
     */
    public void translate(byte[] src, int srcOff, int rows, int cols, float[] dst, int dstOff, long epoch, long index) {
        int dx = dx(epoch, index);
        int dy = dy(epoch, index);
        for (int r = 0; r < rows; r++) {
            int sr = r - dy;
            int out = dstOff + r * cols;
            if (sr < 0 || sr >= rows) {
                java.util.Arrays.fill(dst, out, out + cols, 0f);
                continue;
            }
            // columns [c0, c1) come from source columns [c0 − dx, c1 − dx); the rest of the row is 0. No branch
            // per pixel: this runs on the training thread for every image of every teacher epoch
            int in = srcOff + sr * cols - dx;
            int c0 = Math.min(cols, Math.max(0, dx)), c1 = Math.max(c0, Math.min(cols, cols + dx)); // shifts ≥ cols: all 0
            java.util.Arrays.fill(dst, out, out + c0, 0f);
            for (int c = c0; c < c1; c++) dst[out + c] = (src[in + c] & 0xFF) * (1f / 255f);
            java.util.Arrays.fill(dst, out + c1, out + cols, 0f);
        }
    }
}
