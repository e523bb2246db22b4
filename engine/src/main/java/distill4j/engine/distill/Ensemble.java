package distill4j.engine.distill;

import distill4j.engine.Grad;
import distill4j.engine.Shapes;
import distill4j.engine.Tensor;
import distill4j.engine.nn.Module;
import java.util.Arrays;
import java.util.List;

/**
 * An ensemble of models as one teacher (Hinton et al. 2015, §2 and §4: ten acoustic models trained
 * from different initialisations). At temperature T each member m gives p_m = softmax(v_m / T); the
 * members are combined by
 * <ul>
 *   <li>{@link Combine#ARITHMETIC}: p = (1/M) Σ_m p_m;</li>
 *   <li>{@link Combine#GEOMETRIC}: log p = (1/M) Σ_m log p_m, renormalised so each row sums to 1
 *       (equal to softmax of the mean logits / T).</li>
 * </ul>
 */
public final class Ensemble implements Teacher {
    /** How members' distributions are combined. */
    public enum Combine { ARITHMETIC, GEOMETRIC }

    private final List<Module> members;
    private final Combine combine;

    public Ensemble(Combine combine, List<? extends Module> members) {
        if (members.isEmpty()) throw new IllegalArgumentException("ensemble: no members");
        this.members = List.copyOf(members);
        this.combine = combine;
    }

    public static Ensemble arithmetic(Module... members) {
        return new Ensemble(Combine.ARITHMETIC, List.of(members));
    }

    public static Ensemble geometric(Module... members) {
        return new Ensemble(Combine.GEOMETRIC, List.of(members));
    }

    public int size() {
        return members.size();
    }

    public Combine combine() {
        return combine;
    }

    @SuppressWarnings("try") // the scope object only restores the grad mode on close
    @Override
    public Tensor softTargets(Tensor x, float temperature) {
        try (var g = Grad.disabled()) {
            List<Tensor> logits = new java.util.ArrayList<>(members.size());
            for (Module m : members) logits.add(m.predict(x));
            return combine(combine, logits, temperature);
        }
    }

    /**
     * The ensemble's distribution at temperature T from its members' logits v_m (B, C), e.g. logits
     * computed once and cached: arithmetic (1/M) Σ_m softmax(v_m / T), or geometric: the renormalised
     * exp of (1/M) Σ_m log softmax(v_m / T). No graph is recorded.
     */
    public static Tensor combine(Combine how, List<Tensor> memberLogits, float temperature) {
        if (memberLogits.isEmpty()) throw new IllegalArgumentException("ensemble: no member logits to combine");
        try (var g = Grad.disabled()) {
            float[] acc = null;
            int[] shape = null;
            for (Tensor logits : memberLogits) {
                // arithmetic: accumulate p_m = softmax(v_m / T); geometric: accumulate log p_m
                Tensor member = how == Combine.ARITHMETIC ? logits.softmax(temperature) : logits.logSoftmax(temperature);
                if (acc == null) {
                    acc = new float[member.numel()];
                    shape = member.shape();
                } else if (!Arrays.equals(shape, member.shape())) {
                    throw new IllegalArgumentException("ensemble: members disagree on the output shape: "
                            + Shapes.str(shape) + " and " + Shapes.str(member.shape()));
                }
                float[] d = member.data();
                for (int i = 0; i < acc.length; i++) acc[i] += d[i];
            }
            float inv = 1f / memberLogits.size();
            for (int i = 0; i < acc.length; i++) acc[i] *= inv;
            Tensor mean = Tensor.of(acc, shape);
            // geometric: exp of the mean log-probabilities, renormalised = softmax(mean log p) at T = 1
            return how == Combine.ARITHMETIC ? mean : mean.softmax(1f);
        }
    }
}
