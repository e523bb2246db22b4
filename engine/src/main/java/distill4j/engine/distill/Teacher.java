package distill4j.engine.distill;

import distill4j.engine.Grad;
import distill4j.engine.Tensor;
import distill4j.engine.nn.Module;

/**
 * Something that gives soft targets: class probabilities at a temperature T for a batch of inputs,
 * computed without a graph. A trained model ({@link #of(Module)}) or an {@link Ensemble}.
 */
@FunctionalInterface
public interface Teacher {
    /** x (B, ...) -> probabilities (B, C) = the teacher's softmax at temperature T, no graph recorded. */
    Tensor softTargets(Tensor x, float temperature);

    /** A model as a teacher: p = softmax(model(x) / T), evaluated in eval mode (dropout off) with no graph. */
    @SuppressWarnings("try") // the scope object only restores the grad mode on close
    static Teacher of(Module model) {
        return (x, t) -> {
            Tensor logits = model.predict(x);
            try (var g = Grad.disabled()) {
                return logits.softmax(t);
            }
        };
    }
}
