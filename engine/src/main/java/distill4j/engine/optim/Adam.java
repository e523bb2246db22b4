package distill4j.engine.optim;

import distill4j.engine.Tensor;
import distill4j.kernels.Backends;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015) with L2 weight decay, PyTorch's semantics (Backend.adamUpdate):
 * <pre>
 *   g' = g + wd·w;  m = β1·m + (1−β1)·g';  v = β2·v + (1−β2)·g'²;
 *   w −= lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * </pre>
 * State: "NAME.exp_avg", "NAME.exp_avg_sq" per parameter and "step" (one value; exact up to 2^24 steps).
 */
public final class Adam extends Optimizer {
    private float beta1 = 0.9f;
    private float beta2 = 0.999f;
    private float eps = 1e-8f;
    private float weightDecay;
    private final float[][] m;
    private final float[][] v;
    private final float[] stepHolder = new float[1];
    private long t;

    public Adam(Map<String, ? extends Tensor> namedParams, double lr) {
        super(namedParams, lr);
        m = new float[params.size()][];
        v = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new float[params.get(i).numel()];
            v[i] = new float[params.get(i).numel()];
        }
    }

    public Adam(List<? extends Tensor> params, double lr) {
        this(indexed(params), lr);
    }

    public Adam betas(double beta1, double beta2) {
        float b1 = (float) beta1, b2 = (float) beta2;
        if (!(b1 >= 0f && b1 < 1f && b2 >= 0f && b2 < 1f)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got " + b1 + ", " + b2);
        }
        this.beta1 = b1;
        this.beta2 = b2;
        return this;
    }

    public Adam eps(double epsilon) {
        float e = (float) epsilon;
        if (!(e > 0f)) throw new IllegalArgumentException("Adam: eps must be > 0, got " + e);
        eps = e;
        return this;
    }

    public Adam weightDecay(double weightDecay) {
        float wd = (float) weightDecay;
        if (!(wd >= 0f) || Float.isInfinite(wd)) throw new IllegalArgumentException("Adam: weight decay must be finite and ≥ 0, got " + wd);
        this.weightDecay = wd;
        return this;
    }

    /** Steps taken so far. */
    public long steps() {
        return t;
    }

    @Override
    protected void update(int i, float[] w, float[] g) {
        Backends.get().optim().adamUpdate(w.length, w, g, m[i], v[i], lr, beta1, beta2, eps, weightDecay, t + 1);
    }

    // the same update on the device; the moments live there from the first device step
    @Override
    protected void updateOnDevice(int i, distill4j.kernels.device.DeviceKernels device, distill4j.kernels.device.DeviceArray w,
                                  distill4j.kernels.device.DeviceArray g) {
        device.adamUpdate(m[i].length, w, g, onDevice(m[i], device), onDevice(v[i], device), lr, beta1, beta2, eps, weightDecay, t + 1);
    }

    @Override
    protected void afterStep() {
        t++;
        stepHolder[0] = t;
    }

    @Override
    public Map<String, float[]> state() {
        stateFromDevice();
        Map<String, float[]> s = new LinkedHashMap<>();
        stepHolder[0] = t;
        s.put("step", stepHolder);
        for (int i = 0; i < params.size(); i++) {
            s.put(names.get(i) + ".exp_avg", m[i]);
            s.put(names.get(i) + ".exp_avg_sq", v[i]);
        }
        return s;
    }

    @Override
    protected void onStateLoaded() {
        t = (long) stepHolder[0];
    }
}
