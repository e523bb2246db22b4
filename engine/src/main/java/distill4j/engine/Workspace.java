package distill4j.engine;

import distill4j.kernels.device.DeviceArray;
import distill4j.kernels.device.DeviceKernels;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Reuse of float buffers across training steps: an opt-in scope in which the results of operations,
 * the gradients of intermediate results and the operations' temporaries take their {@code float[]}
 * from a pool keyed by length, and give it back when the scope closes. A training loop owns one
 * workspace and opens it once per step:
 * <pre>
 *   Workspace ws = new Workspace();
 *   for (...) {
 *       try (var step = ws.open()) {
 *           Tensor x = step.copyOf(batch, rows, features);       // the batch, in a pooled buffer
 *           Tensor loss = distill.compute(model.forward(x), p, labels);
 *           optimizer.zeroGrad();
 *           loss.backward();
 *           optimizer.step();
 *           lossValue = loss.item();                           // read what you need inside the scope
 *       }
 *   }
 * </pre>
 * From the second step on, every array the step needs is already in the pool (a step of a fixed
 * shape asks for the same lengths in the same order), so the step allocates no float arrays.
 *
 * <p><b>What is pooled.</b> Arrays made by {@link Ops} while the scope is open on this thread: op
 * results, gradient buffers of non-leaf tensors during {@link Tensor#backward()}, and temporaries.
 * <b>Not pooled:</b> parameters and every leaf tensor's gradient, optimizer state, tensors made with
 * the {@code Tensor} factories, {@link Tensor#copy()} — anything made outside a scope behaves exactly
 * as it does without a workspace.
 *
 * <p><b>Release.</b> When the scope closes, every tensor whose storage came from it (and every view of
 * one: {@code reshape}, {@code detach}) is marked released; reading its data, using it in an
 * operation or backpropagating through it throws an {@link IllegalStateException} naming the
 * operation that made it, instead of silently reading the data of a later step. To keep a result,
 * call {@link Tensor#copy()} inside the scope. Arrays obtained earlier through {@link Tensor#data()}
 * cannot be tracked: do not keep them past the scope.
 *
 * <p><b>Numbers.</b> Identical with and without a workspace: a pooled array that an operation
 * accumulates into is zeroed first, and the others are fully overwritten before they are read (an
 * intermediate gradient is usually the latter: its first writer in a pass overwrites it).
 *
 * <p><b>Device memory.</b> The same holds for device-resident tensors ({@link Tensor#toDevice}): results,
 * intermediate gradients and temporaries of device operations take {@link DeviceArray}s from a second
 * pool, keyed by device and length, so a device step allocates no device memory after the first.
 * {@link #clear()} frees them.
 *
 * <p>A workspace belongs to the thread that opens it; scopes of different workspaces nest (closing
 * one restores the one that was active), and one workspace cannot be opened twice at once.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace[]> ACTIVE = ThreadLocal.withInitial(() -> new Workspace[1]);

    // free arrays by length: lengths[i] ↔ free[i]; a step uses few distinct lengths, so a linear scan
    private int[] lengths = new int[8];
    @SuppressWarnings("unchecked")
    private ArrayDeque<float[]>[] free = new ArrayDeque[8];
    private int kinds;
    // arrays handed out in the open scope, returned to free at close
    private final ArrayList<float[]> lent = new ArrayList<>();
    // device arrays: one bucket per (device, length); lent in the open scope with their buckets
    private final ArrayList<DeviceBucket> deviceBuckets = new ArrayList<>();
    private final ArrayList<DeviceArray> lentDevice = new ArrayList<>();
    private final ArrayList<DeviceBucket> lentDeviceBucket = new ArrayList<>();
    private long deviceArraysCreated;
    private final Scope scope = new Scope();

    /** Incremented when a scope closes: a tensor made in scope g is live while generation == g and open. */
    long generation;
    private boolean open;
    private Thread owner;
    private Workspace previous;

    private long arraysCreated;
    private long bytesCreated;

    /** An empty pool; arrays are created on demand in the first step and reused afterwards. */
    public Workspace() {}

    /** The workspace whose scope is open on this thread, or null. */
    static Workspace active() {
        return ACTIVE.get()[0];
    }

    /**
     * Opens the scope: until it is closed, operations on this thread take their arrays from this
     * workspace. Returns the scope (the same object every time), to be closed by try-with-resources.
     */
    public Scope open() {
        if (open) {
            throw new IllegalStateException("workspace: already open" + (owner == Thread.currentThread() ? "" : " on thread "
                    + owner.getName()) + "; close its scope before opening it again");
        }
        Workspace[] slot = ACTIVE.get();
        previous = slot[0];
        slot[0] = this;
        owner = Thread.currentThread();
        open = true;
        return scope;
    }

    /** Whether a scope of this workspace is open. */
    public boolean isOpen() {
        return open;
    }

    /** Arrays this workspace has created since it was made (pool misses): stops growing after the first step. */
    public long arraysCreated() {
        return arraysCreated;
    }

    /** Bytes of the float arrays this workspace has created (the memory the pool holds). */
    public long bytesCreated() {
        return bytesCreated;
    }

    /** Device arrays this workspace has allocated since it was made: stops growing after the first step. */
    public long deviceArraysCreated() {
        return deviceArraysCreated;
    }

    /** Drops every pooled array (e.g. after a change of batch size) and frees the pooled device memory; only while closed. */
    public void clear() {
        if (open) throw new IllegalStateException("workspace: clear() while a scope is open");
        for (DeviceBucket b : deviceBuckets) for (DeviceArray a : b.free) a.close();
        deviceBuckets.clear();
        for (int i = 0; i < kinds; i++) free[i] = null;
        Arrays.fill(lengths, 0);
        kinds = 0;
    }

    // ------------------------------------------------------------------ pool (used by Ops and Tensor)

    /** An array of length n whose contents are unspecified: the caller overwrites every element. */
    float[] take(int n) {
        ArrayDeque<float[]> q = bucket(n);
        float[] a = q.pollLast();
        if (a == null) {
            a = new float[n];
            arraysCreated++;
            bytesCreated += 4L * n;
        }
        lent.add(a);
        return a;
    }

    /** An array of length n filled with zeros (for accumulation). */
    float[] takeZeroed(int n) {
        float[] a = take(n);
        distill4j.kernels.Backends.get().elementwise().fill(n, 0f, a);
        return a;
    }

    /** Device memory for n floats on {@code device}, contents unspecified: the caller overwrites it (or fills it). */
    DeviceArray takeDevice(DeviceKernels device, int n) {
        DeviceBucket b = null;
        for (DeviceBucket c : deviceBuckets) if (c.device == device && c.length == n) { b = c; break; }
        if (b == null) {
            b = new DeviceBucket(device, n);
            deviceBuckets.add(b);
        }
        DeviceArray a = b.free.pollLast();
        if (a == null) {
            a = device.allocate(n);
            deviceArraysCreated++;
        }
        lentDevice.add(a);
        lentDeviceBucket.add(b);
        return a;
    }

    private static final class DeviceBucket {
        final DeviceKernels device;
        final int length;
        final ArrayDeque<DeviceArray> free = new ArrayDeque<>();

        DeviceBucket(DeviceKernels device, int length) {
            this.device = device;
            this.length = length;
        }
    }

    private ArrayDeque<float[]> bucket(int n) {
        for (int i = 0; i < kinds; i++) if (lengths[i] == n) return free[i];
        if (kinds == lengths.length) {
            lengths = Arrays.copyOf(lengths, 2 * kinds);
            free = Arrays.copyOf(free, 2 * kinds);
        }
        lengths[kinds] = n;
        free[kinds] = new ArrayDeque<>();
        return free[kinds++];
    }

    private void close() {
        if (!open) return;
        Workspace[] slot = ACTIVE.get();
        if (owner != Thread.currentThread() || slot[0] != this) {
            throw new IllegalStateException("workspace: scopes must be closed on their thread, innermost first");
        }
        // Arrays go back in reverse order of taking, so the next step (asking for the same lengths in
        // the same order) pops the same array for the same role: a reproducible memory layout.
        for (int i = lent.size() - 1; i >= 0; i--) bucket(lent.get(i).length).addLast(lent.get(i));
        lent.clear();
        for (int i = lentDevice.size() - 1; i >= 0; i--) lentDeviceBucket.get(i).free.addLast(lentDevice.get(i));
        lentDevice.clear();
        lentDeviceBucket.clear();
        generation++;
        open = false;
        owner = null;
        slot[0] = previous;
        previous = null;
    }

    /** Tags a tensor whose storage came from this workspace's open scope. */
    void adopt(Tensor t, String op) {
        t.owner = this;
        t.generation = generation;
        t.origin = op;
    }

    /** The open scope of a {@link Workspace}; closing it releases the step's tensors and recycles their arrays. */
    public final class Scope implements AutoCloseable {
        private Scope() {}

        /** The workspace this scope belongs to. */
        public Workspace workspace() {
            return Workspace.this;
        }

        /**
         * A tensor of the given shape holding a copy of the first numel(shape) values of {@code values},
         * in a pooled array (released with the scope). For feeding a batch without allocating.
         */
        public Tensor copyOf(float[] values, int... shape) {
            if (!open) throw new IllegalStateException("workspace: copyOf on a closed scope");
            int n = Shapes.numel(shape);
            if (values.length < n) {
                throw new IllegalArgumentException("workspace: copyOf needs " + n + " values for shape " + Shapes.str(shape)
                        + ", got " + values.length);
            }
            float[] a = take(n);
            System.arraycopy(values, 0, a, 0, n);
            Tensor t = Tensor.of(a, shape);
            adopt(t, "Workspace.copyOf");
            return t;
        }

        @Override
        public void close() {
            Workspace.this.close();
        }
    }
}
