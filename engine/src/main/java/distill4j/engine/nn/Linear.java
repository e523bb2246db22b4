package distill4j.engine.nn;

import distill4j.engine.Ops;
import distill4j.engine.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** y = x · Wᵀ + b. x (batch, in), weight W (out, in): one row per unit's incoming weights, bias b (out). */
public final class Linear extends Module {
    private final int in;
    private final int out;
    public final Parameter weight;
    public final Parameter bias;

    /** PyTorch's default initialisation (U(±1/√in) for W and b) from the given seed. */
    public Linear(int in, int out, long seed) {
        this(in, out, true, Init.lecunUniform(), Init.lecunUniform(), new SplittableRandom(seed));
    }

    /** Weights from {@code weightInit}, bias (if any) from {@code biasInit}, drawn from {@code rng} in that order. */
    public Linear(int in, int out, boolean withBias, Init weightInit, Init biasInit, SplittableRandom rng) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("linear: sizes must be positive, got in = " + in + ", out = " + out);
        }
        this.in = in;
        this.out = out;
        float[] w = new float[out * in];
        weightInit.fill(w, in, out, rng);
        this.weight = new Parameter(w, out, in);
        if (withBias) {
            float[] b = new float[out];
            biasInit.fill(b, in, out, rng);
            this.bias = new Parameter(b, out);
        } else {
            this.bias = null;
        }
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    // x (B, in) -> (B, out)
    @Override
    public Tensor forward(Tensor x) {
        return Ops.linear(x, weight, bias);
    }

    @Override
    protected Map<String, Parameter> ownParameters() {
        Map<String, Parameter> m = new LinkedHashMap<>();
        m.put("weight", weight);
        if (bias != null) m.put("bias", bias);
        return m;
    }

    @Override
    public String toString() {
        return "Linear(" + in + " -> " + out + (bias == null ? ", no bias" : "") + ")";
    }
}
