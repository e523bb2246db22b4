package distill4j.engine.nn;

import distill4j.engine.Tensor;

/** y = max(x, 0). */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }

    @Override
    public String toString() {
        return "ReLU";
    }
}
