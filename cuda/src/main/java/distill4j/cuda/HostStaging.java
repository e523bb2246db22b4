package distill4j.cuda;

/**
 * Host ↔ device plumbing of the {@code float[]} kernel interfaces: each call copies its operands into
 * device scratch buffers, the family launches its kernels on them, and the results are copied back.
 * Correct, not fast; a training step that stays on the device uses the families' {@link DeviceBuffer}
 * methods directly.
 *
 * <p>Scratch buffers are kept and grown, not allocated per call. Arguments that are the same Java
 * array share one device buffer, which gives the in-place forms (y may be x, ...) their meaning. One
 * staging is shared by the families of a {@link CudaBackend}; a call holds its lock
 * ({@code synchronized (staging)}) from {@link #begin()} to its last copy back.
 */
public final class HostStaging {
    /** Reallocate scratch to the exact size of each call (tests: out-of-bounds reads then leave the allocation). */
    private static final boolean EXACT_SCRATCH = Boolean.getBoolean("distill4j.cuda.exactScratch");
    private static final int SLOTS = 6;

    private final CudaDevice device;
    private final DeviceBuffer[] scratch = new DeviceBuffer[SLOTS];
    private final Object[] boundArray = new Object[SLOTS];
    private final DeviceBuffer[] boundBuffer = new DeviceBuffer[SLOTS];
    private int bound;

    public HostStaging(CudaDevice device) {
        this.device = device;
    }

    /** Frees the scratch buffers (they are allocated again on the next call). */
    public synchronized void release() {
        for (int i = 0; i < SLOTS; i++) {
            if (scratch[i] != null) scratch[i].close();
            scratch[i] = null;
        }
    }

    /** Starts a call: no array is bound yet; the device's context is made current on this thread. */
    public void begin() {
        bound = 0;
        device.makeCurrent();
    }

    private static void requireLength(String op, String name, int length, long n) {
        if (length < n) {
            throw new IllegalArgumentException(op + ": " + name + " has length " + length + " but the shape needs " + n);
        }
    }

    private DeviceBuffer alreadyBound(Object array) {
        for (int i = 0; i < bound; i++) if (boundArray[i] == array) return boundBuffer[i];
        return null;
    }

    private DeviceBuffer bindNew(Object array, long bytes) {
        int slot = bound;
        DeviceBuffer b = scratch[slot];
        long want = Math.max(bytes, 1);
        if (b == null || b.bytes() < want || (EXACT_SCRATCH && b.bytes() != want)) {
            if (b != null) b.close();
            // grow geometrically so that a sequence of growing calls reallocates O(log) times
            long size = EXACT_SCRATCH || b == null ? want : Math.max(want, b.bytes() + b.bytes() / 2);
            b = device.allocate(size);
            scratch[slot] = b;
        }
        boundArray[slot] = array;
        boundBuffer[slot] = b;
        bound++;
        return b;
    }

    /** A device copy of the first n floats of a (the same buffer if a was bound already in this call). */
    public DeviceBuffer in(String op, String name, float[] a, long n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        requireLength(op, name, a.length, n);
        DeviceBuffer b = alreadyBound(a);
        if (b != null) return b;
        b = bindNew(a, n * Float.BYTES);
        b.copyFrom(a, (int) n);
        return b;
    }

    /** A device copy of the first n ints of a. */
    public DeviceBuffer in(String op, String name, int[] a, long n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        requireLength(op, name, a.length, n);
        DeviceBuffer b = bindNew(a, n * Integer.BYTES);
        b.copyFrom(a, (int) n);
        return b;
    }

    /** A device buffer for an output that the kernel overwrites completely (no upload). */
    public DeviceBuffer out(String op, String name, float[] a, long n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        requireLength(op, name, a.length, n);
        DeviceBuffer b = alreadyBound(a);
        return b != null ? b : bindNew(a, n * Float.BYTES);
    }

    /** Device scratch of n doubles (per-row losses, partial sums). */
    public DeviceBuffer doubles(int n) {
        return bindNew(new Object(), (long) n * Double.BYTES);
    }

    /** Σ of n float64 values on the device, added on the host in index order (as the scalar reference adds rows). */
    public static double sumInOrder(DeviceBuffer values, int n) {
        double[] host = new double[n];
        values.copyTo(host, n);
        double s = 0;
        for (double v : host) s += v;
        return s;
    }
}
