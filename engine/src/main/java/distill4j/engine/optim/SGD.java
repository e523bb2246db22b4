package distill4j.engine.optim;

import distill4j.engine.Tensor;
import distill4j.kernels.Backends;
import distill4j.kernels.device.DeviceArray;
import distill4j.kernels.device.DeviceKernels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay, PyTorch's
 * semantics (Backend.sgdUpdate):
 * <pre>
 *   g' = g + wd·w;   v = μ·v + (1 − d)·g';   w −= lr · (nesterov ? g' + μ·v : v)
 * </pre>
 * Unlike PyTorch, the first step also applies dampening (v starts at 0 and is updated by the rule
 * above), so v is the same exponential average at every step. Momentum can change between steps
 * (schedules). State: "NAME.momentum_buffer" per parameter.
 */
public final class SGD extends Optimizer {
    private float momentum;
    private float dampening;
    private float weightDecay;
    private boolean nesterov;
    private final float[][] velocity;

    public SGD(Map<String, ? extends Tensor> namedParams, double lr) {
        super(namedParams, lr);
        velocity = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) velocity[i] = new float[params.get(i).numel()];
    }

    public SGD(List<? extends Tensor> params, double lr) {
        this(indexed(params), lr);
    }

    public SGD momentum(double momentum) {
        float mu = (float) momentum;
        if (!(mu >= 0f && mu < 1f)) throw new IllegalArgumentException("SGD: momentum must be in [0, 1), got " + mu);
        this.momentum = mu;
        return this;
    }

    public SGD dampening(double dampening) {
        float d = (float) dampening;
        if (!(d >= 0f && d <= 1f)) throw new IllegalArgumentException("SGD: dampening must be in [0, 1], got " + d);
        this.dampening = d;
        return this;
    }

    public SGD weightDecay(double weightDecay) {
        float wd = (float) weightDecay;
        if (!(wd >= 0f) || Float.isInfinite(wd)) throw new IllegalArgumentException("SGD: weight decay must be finite and ≥ 0, got " + wd);
        this.weightDecay = wd;
        return this;
    }

    public SGD nesterov(boolean on) {
        this.nesterov = on;
        return this;
    }

    public float momentum() {
        return momentum;
    }

    /** For momentum schedules: the same as {@link #momentum(float)}. */
    public void setMomentum(double mu) {
        momentum(mu);
    }

    @Override
    protected void update(int i, float[] w, float[] g) {
        if (nesterov && (momentum == 0f || dampening != 0f)) {
            throw new IllegalStateException("SGD: Nesterov momentum needs momentum > 0 and dampening 0 (momentum "
                    + momentum + ", dampening " + dampening + ")");
        }
        Backends.get().optim().sgdUpdate(w.length, w, g, velocity[i], lr, momentum, dampening, weightDecay, nesterov);
    }

    // the same update on the device; the momentum buffer lives there from the first device step
    @Override
    protected void updateOnDevice(int i, DeviceKernels device, DeviceArray w, DeviceArray g) {
        if (nesterov && (momentum == 0f || dampening != 0f)) {
            throw new IllegalStateException("SGD: Nesterov momentum needs momentum > 0 and dampening 0 (momentum "
                    + momentum + ", dampening " + dampening + ")");
        }
        device.sgdUpdate(velocity[i].length, w, g, onDevice(velocity[i], device), lr, momentum, dampening, weightDecay, nesterov);
    }

    @Override
    public Map<String, float[]> state() {
        stateFromDevice();
        Map<String, float[]> s = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) s.put(names.get(i) + ".momentum_buffer", velocity[i]);
        return s;
    }
}
