package distill4j.engine;

import distill4j.kernels.device.DeviceArray;
import distill4j.kernels.device.DeviceKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * A dense float32 tensor in row-major order, and a node of the reverse-mode autograd graph.
 *
 * <p>Storage is one {@code float[]} of exactly {@link #numel()} elements starting at index 0, so it is
 * handed to the {@link distill4j.kernels.Backend} kernels as it is. {@link #reshape} and
 * {@link #detach} are views that share the storage; {@link #t()} (transpose), {@link #slice} and
 * {@link #cat} copy, since every kernel wants contiguous rows.
 *
 * <p>Autograd: an operation on tensors of which one {@link #requiresGrad()} records its inputs and
 * its backward rule on the output (unless {@link Grad#disabled()} is in force). {@link #backward()}
 * visits the graph in reverse topological order and <em>accumulates</em> into the {@link #grad()} of
 * every leaf that requires a gradient, until {@link #zeroGrad()}. Gradients of intermediate results
 * are freed after the pass. The graph itself is kept as long as the output is reachable, so a
 * backward pass can be repeated (gradients then add up).
 *
 * <p>Memory: outside a {@link Workspace} every operation allocates its result and gradients. Inside
 * an open workspace scope they come from its pool and the tensors are <em>released</em> when the scope
 * closes: from then on reading them throws (see {@link #isReleased()}; {@link #copy()} keeps a result).
 *
 * <p>Device residency: {@link #toDevice} makes a tensor whose data lives in the memory of a
 * {@link DeviceKernels} (a backend's device, {@code Backends.device()}); operations on it run there,
 * their results and gradients stay there, and host reads ({@link #data()}, {@link #item()},
 * {@link #toArray()}) copy on demand. {@link distill4j.engine.nn.Module#toDevice} moves a model's
 * parameters. A host tensor given to a device operation is copied in for that call (a batch); an
 * operation without a device kernel reads its device inputs on the host and returns a host result
 * (refusing inputs that need a gradient).
 *
 * <p>The operations themselves, forward and backward side by side, are in {@link Ops}; the methods
 * here are shorthands for them.
 */
public class Tensor {
    /**
     * The host storage (null while the tensor lives on a device); read it through {@link #data()},
     * which checks that it was not released by a {@link Workspace}.
     */
    private float[] data;
    /** The device storage (null on the host). */
    private DeviceStorage dev;
    private final int numel;
    private final int[] shape;
    boolean requiresGrad;
    float[] grad;
    /**
     * The host gradient is logically zero and {@link #grad}'s contents are stale (after {@link #zeroGrad()}):
     * the next backward rule to write it overwrites instead of accumulating, and a reader fills it first.
     * Only set while {@link #grad} is non-null.
     */
    boolean gradStale;
    /** The gradient of a device tensor, on its device. */
    DeviceArray gradDev;

    // graph: set only on results of recorded operations
    String op;
    Tensor[] inputs;
    Ops.Backward backwardRule;
    Ops.DeviceBackward deviceRule;
    private Tensor gradView;

    // set when the storage came from a Workspace scope: live while owner.generation == generation
    Workspace owner;
    long generation;
    String origin;

    /** A tensor over {@code data} (not copied) with the given shape; the sizes must match. */
    protected Tensor(float[] data, int[] shape) {
        this(data, shape.clone(), true);
    }

    /**
     * The same, keeping {@code shape} itself: for shapes the engine made or took from another tensor
     * (a shape array is never written after construction, so tensors may share one).
     */
    Tensor(float[] data, int[] shape, boolean ownShape) {
        this.shape = shape;
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor: negative dimension in shape " + Shapes.str(shape));
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor: shape " + Shapes.str(shape) + " holds " + n
                    + " elements but the data has " + data.length);
        }
        this.data = data;
        this.numel = data.length;
    }

    /** A tensor over device storage (not copied) with the given shape, kept as it is. */
    Tensor(DeviceStorage dev, int[] shape) {
        this.shape = shape;
        if (Shapes.numel(shape) != dev.length) {
            throw new IllegalArgumentException("tensor: shape " + Shapes.str(shape) + " does not hold the " + dev.length
                    + " elements of its device storage");
        }
        this.dev = dev;
        this.numel = dev.length;
    }

    // ------------------------------------------------------------------ creation

    /** A tensor over {@code data} (not copied), e.g. {@code Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)}. */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, shape);
    }

    /** A tensor from rows (copied): {@code rows.length × rows[0].length}. */
    public static Tensor of(float[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("tensor: row " + i + " has " + rows[i].length + " values, row 0 has " + c);
            }
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new Tensor(d, new int[] {r, c});
    }

    /** A 0-dimensional tensor holding one value. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shapes.numel(shape)], shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape);
    }

    // ------------------------------------------------------------------ shape and data

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The shape array itself, for the engine's reads (never write to it). */
    int[] shapeRef() {
        return shape;
    }

    /** Size of dimension {@code i}; negative i counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return numel;
    }

    /**
     * The live storage, row-major (writes are seen by every view; do not write to graph inputs).
     * Throws if the storage was recycled by a closed {@link Workspace} scope. On a device-resident
     * tensor: a new host copy of the data (one device → host copy per call; writes to it are not seen).
     */
    public float[] data() {
        if (owner != null && owner.generation != generation) throw released();
        return dev != null ? dev.download() : data;
    }

    // ------------------------------------------------------------------ device residency

    /** Whether the data lives on a device ({@link #toDevice}). */
    public boolean isOnDevice() {
        return dev != null;
    }

    /** The device kernels owning the data, or null for a host tensor. */
    public DeviceKernels device() {
        return dev == null ? null : dev.kernels;
    }

    /**
     * A tensor with the same values on {@code device} (one host → device copy), outside the graph; this
     * tensor itself if it is there already. Inside an open {@link Workspace} scope its memory comes from
     * the pool and is released with the scope (a batch); otherwise it is new.
     */
    public Tensor toDevice(DeviceKernels device) {
        if (dev != null) {
            if (dev.kernels == device) return this;
            throw new IllegalArgumentException("toDevice: the tensor is on " + dev.kernels.name() + ", not " + device.name()
                    + "; bring it to the host first (toHost())");
        }
        float[] host = data();
        Workspace ws = Workspace.active();
        DeviceArray a = ws == null ? device.allocate(numel) : ws.takeDevice(device, numel);
        if (numel > 0) device.upload(host, a, numel);
        Tensor t = new Tensor(new DeviceStorage(device, a, numel), shape);
        if (ws != null) ws.adopt(t, "toDevice");
        return t;
    }

    /** A host tensor with the values (one device → host copy), outside the graph; this tensor if it is on the host. */
    public Tensor toHost() {
        if (dev == null) return this;
        return new Tensor(data(), shape, true);
    }

    /**
     * Moves this tensor's storage (and gradient) to {@code device} in place: for parameters
     * ({@link distill4j.engine.nn.Module#toDevice}). Views taken before the move keep the old host array.
     */
    protected void moveStorageToDevice(DeviceKernels device) {
        if (!isLeaf()) throw new IllegalStateException("toDevice: only leaf tensors can be moved in place");
        if (dev != null) {
            if (dev.kernels == device) return;
            moveStorageToHost();
        }
        float[] host = data();
        DeviceArray a = device.allocate(numel);
        if (numel > 0) device.upload(host, a, numel);
        DeviceArray g = null;
        if (grad != null) {
            g = device.allocate(numel);
            if (gradStale) device.fill(numel, 0f, g);
            else if (numel > 0) device.upload(grad, g, numel);
        }
        dev = new DeviceStorage(device, a, numel);
        data = null;
        grad = null;
        gradStale = false;
        gradDev = g;
        gradView = null;
    }

    /** Moves this tensor's storage (and gradient) back to the host in place; frees the device memory. */
    protected void moveStorageToHost() {
        if (dev == null) return;
        if (!isLeaf()) throw new IllegalStateException("toHost: only leaf tensors can be moved in place");
        float[] host = data();
        float[] g = null;
        if (gradDev != null) {
            g = new float[numel];
            if (numel > 0) dev.kernels.download(gradDev, g, numel);
            gradDev.close();
        }
        dev.array.close();
        data = host;
        dev = null;
        grad = g;
        gradStale = false;
        gradDev = null;
        gradView = null;
    }

    /** The device memory of a device-resident tensor (for optimizers and constraints that update it in place). */
    public DeviceArray deviceArray() {
        if (owner != null && owner.generation != generation) throw released();
        if (dev == null) throw new IllegalStateException("tensor " + Shapes.str(shape) + " is on the host, not on a device");
        return dev.array;
    }

    /** The accumulated gradient of a device-resident tensor, on the device, or null if none yet. */
    public DeviceArray gradDeviceArray() {
        if (dev == null) throw new IllegalStateException("tensor " + Shapes.str(shape) + " is on the host, not on a device");
        return gradDev;
    }

    /** The device storage, for {@link Ops} (checks release like {@link #data()}). */
    DeviceStorage deviceStorage() {
        if (owner != null && owner.generation != generation) throw released();
        return dev;
    }

    /** Whether this tensor's storage was given back to a {@link Workspace} whose scope has closed. */
    public boolean isReleased() {
        return owner != null && owner.generation != generation;
    }

    private IllegalStateException released() {
        return new IllegalStateException("tensor " + Shapes.str(shape) + " from op '" + origin
                + "' was released when its Workspace closed (its array now holds another step's data); "
                + "call .copy() inside the scope to keep it");
    }

    /** Makes {@code view}, which shares this tensor's storage, released together with it. */
    Tensor sharesStorageOf(Tensor source) {
        owner = source.owner;
        generation = source.generation;
        origin = source.origin;
        return this;
    }

    /** The value at the given indices (one per dimension). */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " indices for shape " + Shapes.str(shape));
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " outside shape " + Shapes.str(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return data()[flat];
    }

    /** The single value of a one-element tensor (e.g. a loss). */
    public float item() {
        if (numel != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shapes.str(shape) + " has " + numel + " elements, not 1");
        }
        return data()[0];
    }

    /** A copy of the data. */
    public float[] toArray() {
        return dev != null ? data() : data().clone(); // a device read is a new array already
    }

    /** Index of the largest value of each row of a (rows, cols) tensor: predicted classes. */
    public int[] argmaxRows() {
        int rows = Shapes.rows(shape), cols = Shapes.cols(shape);
        float[] data = data();
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 1; j < cols; j++) if (data[r * cols + j] > data[r * cols + best]) best = j;
            out[r] = best;
        }
        return out;
    }

    // ------------------------------------------------------------------ autograd

    /** Whether gradients flow into this tensor (a leaf that asked for them, or a result computed from one). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as wanting a gradient; results of operations get the flag automatically. */
    public Tensor requiresGrad(boolean value) {
        if (!isLeaf()) {
            throw new IllegalStateException("requiresGrad: only leaf tensors can change it; this is the result of '" + op
                    + "' (use detach() to cut it from the graph)");
        }
        this.requiresGrad = value;
        if (!value) {
            grad = null;
            gradStale = false;
        }
        return this;
    }

    /** True if this tensor was not produced by a recorded operation. */
    public boolean isLeaf() {
        return backwardRule == null && deviceRule == null;
    }

    /** Name of the operation that produced this tensor, or null for a leaf. */
    public String op() {
        return op;
    }

    /**
     * The accumulated gradient (a tensor of the same shape sharing the gradient storage), or null if none
     * yet; zeros after {@link #zeroGrad()} until a backward pass writes it. A view kept across a
     * {@code zeroGrad()} shows the old values until the next backward pass or {@code grad()} call.
     */
    public Tensor grad() {
        if (dev != null) {
            // on the device: a view of the device gradient (reading it on the host copies)
            if (gradDev == null) return null;
            if (gradView == null || gradView.dev == null || gradView.dev.array != gradDev) {
                gradView = new Tensor(new DeviceStorage(dev.kernels, gradDev, numel), shape);
            }
            return gradView;
        }
        if (grad == null) return null;
        materializeGrad();
        // a leaf keeps its buffer across steps: one view object serves every call
        if (gradView == null || gradView.data != grad) gradView = new Tensor(grad, shape, true);
        return gradView;
    }

    /**
     * Clears the accumulated gradient. On the host nothing is written: the gradient is marked zero, the
     * next backward rule that writes it overwrites it (so a training step fills no gradient with zeros),
     * and {@link #grad()} fills it if it is read before that.
     */
    public void zeroGrad() {
        if (grad != null) gradStale = true;
        if (gradDev != null) dev.kernels.fill(numel, 0f, gradDev);
    }

    /** Fills a stale gradient with the zeros it logically holds (a read, or a rule that can only accumulate). */
    private void materializeGrad() {
        if (!gradStale) return;
        // on the backend: the SIMD one splits a large fill (a weight's gradient is megabytes) over its threads
        distill4j.kernels.Backends.get().elementwise().fill(numel, 0f, grad);
        gradStale = false;
    }

    /**
     * The gradient buffer holding the gradient so far (zeros on first use): for backward rules that
     * accumulate into it, or write only part of it. An intermediate result's buffer lives for one
     * backward pass, so it comes from the open {@link Workspace} if there is one; a leaf's (a
     * parameter's) is kept and never pooled.
     */
    float[] gradBuffer() {
        if (dev != null) throw new IllegalStateException("internal: host gradient of a device tensor (op '" + op + "')");
        if (grad == null) {
            Workspace ws = isLeaf() ? null : Workspace.active();
            grad = ws == null ? new float[numel] : ws.takeZeroed(numel);
        }
        materializeGrad();
        return grad;
    }

    /**
     * Whether a backward rule writing the whole gradient must add to it: false while nothing was written
     * since it was made or zeroed, and then the rule overwrites every element of {@link #gradForWrite()}
     * (accumulate = false) instead of adding to zeros. The result is the same bits, except that a −0
     * written stays −0 where 0 + (−0) gave +0. Ask before calling {@link #gradForWrite()}.
     */
    boolean gradAccumulates() {
        return grad != null && !gradStale;
    }

    /**
     * The gradient buffer for a backward rule that writes every element: contents unspecified when
     * {@link #gradAccumulates()} was false (the rule overwrites it), else the gradient so far (the rule
     * adds). From now on the gradient counts as written.
     */
    float[] gradForWrite() {
        if (dev != null) throw new IllegalStateException("internal: host gradient of a device tensor (op '" + op + "')");
        if (grad == null) {
            Workspace ws = isLeaf() ? null : Workspace.active();
            grad = ws == null ? new float[numel] : ws.take(numel);
        }
        gradStale = false;
        return grad;
    }

    /** The device gradient buffer, allocated (zeros) on first use: the device form of {@link #gradBuffer()}. */
    DeviceArray gradDevice() {
        if (gradDev == null) {
            Workspace ws = isLeaf() ? null : Workspace.active();
            DeviceKernels k = dev.kernels;
            gradDev = ws == null ? k.allocate(numel) : ws.takeDevice(k, numel);
            k.fill(numel, 0f, gradDev);
        }
        return gradDev;
    }

    /** A view of the same data outside the graph: no gradient flows through it. */
    public Tensor detach() {
        if (dev != null) return new Tensor(deviceStorage(), shape).sharesStorageOf(this);
        return new Tensor(data(), shape).sharesStorageOf(this);
    }

    /**
     * A copy of the data outside the graph, in a new array (never pooled: it outlives a {@link Workspace}
     * scope); on the device for a device tensor (a device → device copy).
     */
    public Tensor copy() {
        if (dev != null) {
            DeviceStorage s = deviceStorage();
            DeviceArray a = s.kernels.allocate(numel);
            if (numel > 0) s.kernels.copy(s.array, a, numel);
            return new Tensor(new DeviceStorage(s.kernels, a, numel), shape);
        }
        return new Tensor(data().clone(), shape);
    }

    /** Backpropagates from this one-element tensor (a loss): d this / d this = 1. */
    public void backward() {
        if (numel != 1) {
            throw new IllegalStateException("backward: output has shape " + Shapes.str(shape)
                    + "; reduce it to one value (sum, mean, a loss) or call backward(gradient)");
        }
        backwardFrom(null);
    }

    /** Backpropagates from this tensor with the given upstream gradient (same shape). */
    public void backward(Tensor gradient) {
        if (!Arrays.equals(gradient.shape, shape)) {
            throw new IllegalArgumentException("backward: gradient shape " + Shapes.str(gradient.shape)
                    + " does not match output shape " + Shapes.str(shape));
        }
        backwardFrom(gradient);
    }

    /** The backward pass; a null gradient means the scalar seed 1 (no array made for it). */
    private void backwardFrom(Tensor gradient) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward: this tensor does not require a gradient (no input asked for one, "
                    + "or it was computed inside Grad.disabled())");
        }
        List<Tensor> order = topologicalOrder(this);
        int size = order.size();
        try {
            // Backward rules read their inputs' and outputs' arrays: if a Workspace recycled any of them,
            // refuse before touching anything.
            for (int i = 0; i < size; i++) {
                Tensor t = order.get(i);
                if (t.isReleased()) throw t.released();
                if (t.inputs != null) for (Tensor in : t.inputs) if (in != null && in.isReleased()) throw in.released();
            }
            // Intermediate results get fresh gradient buffers every pass; leaves keep accumulating.
            for (int i = 0; i < size; i++) if (!order.get(i).isLeaf()) order.get(i).clearGradient();
            if (dev == null) {
                boolean add = gradAccumulates(); // a leaf's gradient may hold earlier passes'
                float[] seed = gradForWrite();
                if (gradient == null) seed[0] = add ? seed[0] + 1f : 1f; // d this / d this = 1
                else {
                    float[] g = gradient.data(); // once: on a device tensor every call copies
                    for (int i = 0; i < seed.length; i++) seed[i] = add ? seed[i] + g[i] : g[i];
                }
            } else {
                seedOnDevice(gradient);
            }
            for (int i = size - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                if (t.isLeaf()) continue;
                if (t.dev != null) {
                    if (t.gradDev != null) t.deviceRule.apply(t.gradDev);
                } else if (t.grad != null) {
                    t.backwardRule.apply(t.gradBuffer()); // never stale here: intermediates are written, not zeroed
                }
            }
        } finally {
            for (int i = 0; i < size; i++) if (!order.get(i).isLeaf()) order.get(i).clearGradient();
            TRAVERSAL.get().releaseIf(order);
        }
    }

    /** Drops an intermediate result's gradient (pooled memory goes back with its Workspace scope). */
    private void clearGradient() {
        grad = null;
        gradStale = false;
        gradDev = null;
    }

    /** d this / d this on the device: 1, or the given gradient (copied in if it is on the host). */
    private void seedOnDevice(Tensor gradient) {
        DeviceKernels k = dev.kernels;
        DeviceArray seed = gradDevice();
        if (gradient != null && gradient.dev != null && gradient.dev.kernels == k) {
            k.axpy(numel, 1f, gradient.deviceStorage().array, seed);
            return;
        }
        float[] host = gradient == null ? new float[] {1f} : gradient.data();
        Workspace ws = Workspace.active();
        DeviceArray tmp = ws == null ? k.allocate(numel) : ws.takeDevice(k, numel);
        k.upload(host, tmp, numel);
        k.axpy(numel, 1f, tmp, seed);
        if (ws == null) tmp.close();
    }

    /**
     * Inputs before outputs; only tensors that require a gradient. Iterative, so deep graphs do not
     * overflow the stack. The returned list and the search's structures are this thread's and reused
     * by its next backward pass (no allocation per pass once they have grown to the graph's size).
     */
    private static List<Tensor> topologicalOrder(Tensor root) {
        Traversal tr = TRAVERSAL.get();
        if (tr.inUse) tr = new Traversal(); // a backward pass started inside another one on this thread
        tr.inUse = true;
        tr.order.clear();
        tr.visited.clear();
        tr.visited.put(root, Boolean.TRUE);
        int top = 0;
        tr.push(top++, root);
        while (top > 0) {
            Tensor t = tr.tensors[top - 1];
            int next = tr.next[top - 1];
            Tensor[] in = t.inputs;
            if (in != null && next < in.length) {
                tr.next[top - 1] = next + 1;
                Tensor child = in[next];
                if (child != null && child.requiresGrad && tr.visited.put(child, Boolean.TRUE) == null) tr.push(top++, child);
            } else {
                tr.tensors[--top] = null;
                tr.order.add(t);
            }
        }
        return tr.order;
    }

    /** Per-thread scratch of {@link #topologicalOrder}: an explicit depth-first stack and the visited set. */
    private static final class Traversal {
        final ArrayList<Tensor> order = new ArrayList<>();
        final IdentityHashMap<Tensor, Boolean> visited = new IdentityHashMap<>();
        Tensor[] tensors = new Tensor[16];
        int[] next = new int[16];
        boolean inUse;

        void push(int at, Tensor t) {
            if (at == tensors.length) {
                tensors = Arrays.copyOf(tensors, 2 * at);
                next = Arrays.copyOf(next, 2 * at);
            }
            tensors[at] = t;
            next[at] = 0;
        }

        /** Ends the pass that used {@code order} if it was this scratch's (drops the references it held). */
        void releaseIf(List<Tensor> used) {
            if (used != order) return;
            order.clear();
            visited.clear();
            inUse = false;
        }
    }

    private static final ThreadLocal<Traversal> TRAVERSAL = ThreadLocal.withInitial(Traversal::new);

    // ------------------------------------------------------------------ operations (see Ops)

    public Tensor matmul(Tensor other) { return Ops.matmul(this, other); }
    public Tensor add(Tensor other) { return Ops.add(this, other); }
    public Tensor sub(Tensor other) { return Ops.sub(this, other); }
    public Tensor mul(Tensor other) { return Ops.mul(this, other); }
    public Tensor mul(double s) { return Ops.scale(this, (float) s); }
    public Tensor add(double s) { return Ops.addScalar(this, (float) s); }
    public Tensor neg() { return Ops.scale(this, -1f); }
    public Tensor relu() { return Ops.relu(this); }
    public Tensor exp() { return Ops.exp(this); }
    public Tensor log() { return Ops.log(this); }
    public Tensor softmax(double temperature) { return Ops.softmax(this, (float) temperature); }
    public Tensor softmax() { return Ops.softmax(this, 1f); }
    public Tensor logSoftmax(double temperature) { return Ops.logSoftmax(this, (float) temperature); }
    public Tensor logSoftmax() { return Ops.logSoftmax(this, 1f); }
    public Tensor sum() { return Ops.sum(this); }
    public Tensor mean() { return Ops.mean(this); }
    public Tensor sumRows() { return Ops.sumRows(this); }
    public Tensor reshape(int... newShape) { return Ops.reshape(this, newShape); }
    public Tensor t() { return Ops.transpose(this); }
    public Tensor slice(int from, int to) { return Ops.slice(this, from, to); }
    public Tensor rows(int[] indices) { return Ops.gatherRows(this, indices); }
    public static Tensor cat(List<Tensor> parts) { return Ops.cat(parts); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.str(shape));
        if (op != null) sb.append(" op=").append(op);
        if (requiresGrad) sb.append(" requiresGrad");
        sb.append(' ').append('[');
        if (isReleased()) return sb.append(" [released by its Workspace]").toString();
        if (dev != null) return sb.append(" on ").append(dev.kernels.name()).append(']').toString(); // no hidden copy
        int show = Math.min(data.length, 8);
        for (int i = 0; i < show; i++) sb.append(i > 0 ? ", " : "").append(data[i]);
        if (data.length > show) sb.append(", ...");
        return sb.append(']').toString();
    }
}
