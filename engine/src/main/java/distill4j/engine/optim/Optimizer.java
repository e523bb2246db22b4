package distill4j.engine.optim;

import distill4j.engine.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their accumulated gradients. After every {@link #step()} the registered
 * {@link Constraint}s run (e.g. {@link MaxNorm}). Parameters without a gradient are skipped.
 *
 * <p>State (momentum buffers, Adam moments, step counts) is exposed by name as float arrays with
 * {@link #state()} and restored with {@link #loadState(Map)}, so a run can be saved and resumed.
 */
public abstract class Optimizer {
    protected final List<String> names = new ArrayList<>();
    protected final List<Tensor> params = new ArrayList<>();
    private final List<Constraint> constraints = new ArrayList<>();
    protected float lr;

    /** Parameters by name (e.g. {@code model.namedParameters()}); names key the state. */
    protected Optimizer(Map<String, ? extends Tensor> namedParams, double lr) {
        java.util.Set<Tensor> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Map.Entry<String, ? extends Tensor> e : namedParams.entrySet()) {
            if (!seen.add(e.getValue())) continue; // a shared (tied) parameter is updated once
            if (!e.getValue().requiresGrad()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + e.getKey()
                        + "' does not require a gradient");
            }
            names.add(e.getKey());
            params.add(e.getValue());
        }
        setLearningRate(lr);
    }

    /** Names "0", "1", ... for a plain list. */
    protected static Map<String, Tensor> indexed(List<? extends Tensor> params) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) m.put(Integer.toString(i), params.get(i));
        return m;
    }

    /** One update of every parameter that has a gradient, then the constraints. */
    public final void step() {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Tensor g = p.grad();
            if (g != null) update(i, p.data(), g.data());
        }
        afterStep();
        for (Constraint c : constraints) c.apply();
    }

    /** Updates parameter i (weights w, gradient g). */
    protected abstract void update(int i, float[] w, float[] g);

    /** Hook after all parameters were updated (e.g. step counters). */
    protected void afterStep() {}

    /** Clears the gradients of all parameters. */
    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    /** Adds a constraint applied after every step; returns this. */
    public Optimizer constrain(Constraint c) {
        constraints.add(c);
        return this;
    }

    public float learningRate() {
        return lr;
    }

    public void setLearningRate(double learningRate) {
        float lr = (float) learningRate;
        if (!(lr >= 0f) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be finite and ≥ 0, got " + lr);
        }
        this.lr = lr;
    }

    /** Named state arrays (live: modifying them changes the optimizer). */
    public abstract Map<String, float[]> state();

    /** Copies saved state back; every name of {@link #state()} must be present with the same length. */
    public void loadState(Map<String, float[]> saved) {
        Map<String, float[]> mine = state();
        for (Map.Entry<String, float[]> e : mine.entrySet()) {
            float[] src = saved.get(e.getKey());
            if (src == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: missing '" + e.getKey() + "'");
            if (src.length != e.getValue().length) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: '" + e.getKey() + "' has "
                        + src.length + " values, expected " + e.getValue().length);
            }
            System.arraycopy(src, 0, e.getValue(), 0, src.length);
        }
        for (String k : saved.keySet()) {
            if (!mine.containsKey(k)) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: unexpected '" + k + "'");
        }
        onStateLoaded();
    }

    /** Hook after {@link #loadState} (e.g. to read back scalar counters). */
    protected void onStateLoaded() {}
}
