package distill4j.engine.optim;

import distill4j.engine.Tensor;
import distill4j.kernels.device.DeviceArray;
import distill4j.kernels.device.DeviceKernels;
import java.util.IdentityHashMap;
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
 *
 * <p>Device-resident parameters ({@code Module.toDevice}) are updated on their device by
 * {@link #updateOnDevice}; an optimizer with a device kernel keeps its state there too
 * ({@link #onDevice}), and {@link #state()} copies it to the host on demand. One without (the default)
 * copies the parameter and its gradient to the host, updates, and copies the parameter back.
 */
public abstract class Optimizer {
    protected final List<String> names = new ArrayList<>();
    protected final List<Tensor> params = new ArrayList<>();
    private final List<Constraint> constraints = new ArrayList<>();
    protected float lr;
    /** Device copies of state arrays, by the host array they mirror (the host array is stale until {@link #stateFromDevice()}). */
    private final Map<float[], DeviceArray> deviceState = new IdentityHashMap<>();
    private final Map<float[], DeviceKernels> deviceStateOwner = new IdentityHashMap<>();

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
            if (p.isOnDevice()) {
                DeviceArray g = p.gradDeviceArray();
                if (g != null) updateOnDevice(i, p.device(), p.deviceArray(), g);
                continue;
            }
            Tensor g = p.grad();
            if (g != null) update(i, p.data(), g.data());
        }
        afterStep();
        for (Constraint c : constraints) c.apply();
    }

    /** Updates parameter i (weights w, gradient g). */
    protected abstract void update(int i, float[] w, float[] g);

    /**
     * Updates device-resident parameter i (weights w, gradient g, both on {@code device}). This default
     * has no device kernel: it copies w and g to the host, runs {@link #update}, and copies w back.
     */
    protected void updateOnDevice(int i, DeviceKernels device, DeviceArray w, DeviceArray g) {
        int n = params.get(i).numel();
        float[] hw = new float[n], hg = new float[n];
        device.download(w, hw, n);
        device.download(g, hg, n);
        update(i, hw, hg);
        device.upload(hw, w, n);
    }

    /**
     * The device copy of a state array (made on first use: one upload of its current values); from then
     * on the device copy is the state, and {@link #state()} implementations call {@link #stateFromDevice()}.
     */
    protected final DeviceArray onDevice(float[] state, DeviceKernels device) {
        DeviceArray a = deviceState.get(state);
        if (a == null) {
            a = device.allocate(state.length);
            if (allZero(state)) device.fill(state.length, 0f, a); // a fresh buffer: no copy needed
            else device.upload(state, a, state.length);
            deviceState.put(state, a);
            deviceStateOwner.put(state, device);
        }
        return a;
    }

    private static boolean allZero(float[] a) {
        for (float v : a) if (Float.floatToRawIntBits(v) != 0) return false;
        return true;
    }

    /** Copies every device copy of the state into its host array (for {@link #state()}: a checkpoint). */
    protected final void stateFromDevice() {
        for (Map.Entry<float[], DeviceArray> e : deviceState.entrySet()) {
            if (e.getKey().length > 0) deviceStateOwner.get(e.getKey()).download(e.getValue(), e.getKey(), e.getKey().length);
        }
    }

    private void stateToDevice() {
        for (Map.Entry<float[], DeviceArray> e : deviceState.entrySet()) {
            if (e.getKey().length > 0) deviceStateOwner.get(e.getKey()).upload(e.getKey(), e.getValue(), e.getKey().length);
        }
    }

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

    /**
     * Named state arrays (live: modifying them changes the optimizer, except for state kept on a device:
     * there they are a copy made by this call, and {@link #loadState} is the way back).
     */
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
        stateToDevice();
        for (String k : saved.keySet()) {
            if (!mine.containsKey(k)) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: unexpected '" + k + "'");
        }
        onStateLoaded();
    }

    /** Hook after {@link #loadState} (e.g. to read back scalar counters). */
    protected void onStateLoaded() {}
}
