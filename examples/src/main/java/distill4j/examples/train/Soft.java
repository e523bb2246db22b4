package distill4j.examples.train;

import distill4j.engine.Tensor;
import distill4j.engine.distill.Ensemble;
import distill4j.engine.distill.SoftTargets;
import java.util.ArrayList;
import java.util.List;

/**
 * Soft targets of a transfer set, p (count, classes), together with the temperature T they were
 * computed at, so that the trainer can check that the student's loss uses the same T (§2: "the same
 * high temperature in the small model's softmax"). Computed by the engine from teacher logits (e.g.
 * {@link LogitCache}): {@link SoftTargets#fromLogits} for one teacher, {@link Ensemble#combine} for several.
 */
public record Soft(float[] probabilities, int classes, float temperature) {
    public Soft {
        if (classes <= 0 || probabilities.length % classes != 0) {
            throw new IllegalArgumentException("soft targets: " + probabilities.length + " values for " + classes + " classes");
        }
    }

    /** p = softmax(v / T) per row of a teacher's logits v (count, classes). */
    public static Soft of(float[] teacherLogits, int classes, float temperature) {
        Tensor v = Tensor.of(teacherLogits.clone(), teacherLogits.length / classes, classes);
        return new Soft(SoftTargets.fromLogits(v, temperature).data(), classes, temperature);
    }

    /** The soft targets at T of an ensemble whose members' logits (count, classes) are given, combined as asked. */
    public static Soft ensemble(List<float[]> memberLogits, int classes, float temperature, Ensemble.Combine how) {
        List<Tensor> logits = new ArrayList<>();
        for (float[] v : memberLogits) logits.add(Tensor.of(v.clone(), v.length / classes, classes));
        return new Soft(Ensemble.combine(how, logits, temperature).data(), classes, temperature);
    }

    /** Number of examples. */
    public int count() { return probabilities.length / classes; }
}
