package distill4j.engine;

/**
 * Whether operations record the autograd graph on this thread. Recording is on by default; a
 * no-grad scope turns it off for inference, soft-target computation and parameter updates:
 * <pre>
 *   try (var g = Grad.disabled()) {
 *       Tensor p = teacher.forward(x).softmax(T);   // no graph, p.requiresGrad() == false
 *   }
 * </pre>
 * Scopes nest; closing one restores the state it found.
 */
public final class Grad {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private Grad() {}

    /** True when operations on this thread record the graph. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns graph recording off until the returned scope is closed. */
    public static Scope disabled() {
        return set(false);
    }

    /** Turns graph recording on until the returned scope is closed (e.g. inside a no-grad scope). */
    public static Scope enabled() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        Scope scope = new Scope(flag[0]);
        flag[0] = enabled;
        return scope;
    }

    /** Restores the previous recording state on {@link #close()}. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;
        private boolean closed;

        private Scope(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                ENABLED.get()[0] = previous;
            }
        }
    }
}
