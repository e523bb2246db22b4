package distill4j.kernels.simd;

/**
 * A reusable job that cuts an index range [0, n) (elements, rows or columns) into one contiguous part
 * per pool thread and runs {@link #range} on each, the calling thread taking part 0. Every cut is a
 * multiple of {@code align} (a kernel passes its vector length so each element goes through the same
 * vector or tail code as in a one-thread call), so a kernel whose elements, rows or columns are
 * independent gives the same bits on every thread count.
 *
 * <p>A kernel keeps one {@code static final} instance, sets its argument fields and calls
 * {@link #runOnPool} while holding the instance's monitor; nothing is allocated per call.
 */
public abstract class RangeTask implements SimdPool.Task {
    private int n, align;

    /** Does the work of indices [from, to); from is a multiple of the alignment, to is too or is n. */
    protected abstract void range(int from, int to);

    /**
     * Runs range over [0, n) on the shared pool when n ≥ {@code min} and the pool has more than one
     * thread; returns false (nothing run) when the call is too small or the pool is busy, and the caller
     * then runs the whole range itself.
     */
    public final boolean runOnPool(int n, int align, int min) {
        SimdPool pool = SimdPool.shared();
        int parts = pool.threads();
        if (n < min || parts < 2 || n / Math.max(1, align) < parts) return false;
        this.n = n;
        this.align = align;
        return pool.tryRun(this, parts);
    }

    @Override
    public final void run(int part, int parts) {
        int from = cut(part, parts), to = cut(part + 1, parts);
        if (from < to) range(from, to);
    }

    private int cut(int part, int parts) {
        if (part >= parts) return n;
        long at = (long) n * part / parts;
        return (int) (at / align * align);
    }
}
