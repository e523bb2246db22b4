package distill4j.engine;

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
 * <p>The operations themselves, forward and backward side by side, are in {@link Ops}; the methods
 * here are shorthands for them.
 */
public class Tensor {
    /** The storage; read it through {@link #data()}, which checks that it was not released by a {@link Workspace}. */
    private final float[] data;
    private final int[] shape;
    boolean requiresGrad;
    float[] grad;

    // graph: set only on results of recorded operations
    String op;
    Tensor[] inputs;
    Ops.Backward backwardRule;
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
        return data.length;
    }

    /**
     * The live storage, row-major (writes are seen by every view; do not write to graph inputs).
     * Throws if the storage was recycled by a closed {@link Workspace} scope.
     */
    public float[] data() {
        if (owner != null && owner.generation != generation) throw released();
        return data;
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
        if (data.length != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shapes.str(shape) + " has " + data.length + " elements, not 1");
        }
        return data()[0];
    }

    /** A copy of the data. */
    public float[] toArray() {
        return data().clone();
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
        if (!value) grad = null;
        return this;
    }

    /** True if this tensor was not produced by a recorded operation. */
    public boolean isLeaf() {
        return backwardRule == null;
    }

    /** Name of the operation that produced this tensor, or null for a leaf. */
    public String op() {
        return op;
    }

    /** The accumulated gradient (a tensor of the same shape sharing the gradient storage), or null if none yet. */
    public Tensor grad() {
        if (grad == null) return null;
        // a leaf keeps its buffer across steps: one view object serves every call
        if (gradView == null || gradView.data != grad) gradView = new Tensor(grad, shape, true);
        return gradView;
    }

    /** Clears the accumulated gradient. */
    public void zeroGrad() {
        // on the backend: the SIMD one splits a large fill (a weight's gradient is megabytes) over its threads
        if (grad != null) distill4j.kernels.Backends.get().elementwise().fill(grad.length, 0f, grad);
    }

    /**
     * The gradient buffer, allocated (zeros) on first use: backward rules accumulate into it. An
     * intermediate result's buffer lives for one backward pass, so it comes from the open
     * {@link Workspace} if there is one; a leaf's (a parameter's) is kept and never pooled.
     */
    float[] gradBuffer() {
        if (grad == null) {
            Workspace ws = isLeaf() ? null : Workspace.active();
            grad = ws == null ? new float[data.length] : ws.takeZeroed(data.length);
        }
        return grad;
    }

    /** A view of the same data outside the graph: no gradient flows through it. */
    public Tensor detach() {
        return new Tensor(data(), shape).sharesStorageOf(this);
    }

    /** A copy of the data outside the graph, in a new array (never pooled: it outlives a {@link Workspace} scope). */
    public Tensor copy() {
        return new Tensor(data().clone(), shape);
    }

    /** Backpropagates from this one-element tensor (a loss): d this / d this = 1. */
    public void backward() {
        if (data.length != 1) {
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
            for (int i = 0; i < size; i++) if (!order.get(i).isLeaf()) order.get(i).grad = null;
            float[] seed = gradBuffer();
            if (gradient == null) seed[0] += 1f; // d this / d this = 1
            else for (int i = 0; i < seed.length; i++) seed[i] += gradient.data()[i];
            for (int i = size - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                if (t.isLeaf() || t.grad == null) continue;
                t.backwardRule.apply(t.grad);
            }
        } finally {
            for (int i = 0; i < size; i++) if (!order.get(i).isLeaf()) order.get(i).grad = null;
            TRAVERSAL.get().releaseIf(order);
        }
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
        int show = Math.min(data.length, 8);
        for (int i = 0; i < show; i++) sb.append(i > 0 ? ", " : "").append(data[i]);
        if (data.length > show) sb.append(", ...");
        return sb.append(']').toString();
    }
}
