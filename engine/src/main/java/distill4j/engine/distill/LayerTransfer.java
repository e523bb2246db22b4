package distill4j.engine.distill;

import distill4j.engine.Grad;
import distill4j.engine.Shapes;
import distill4j.engine.nn.Linear;
import distill4j.engine.nn.Sequential;
import java.util.Arrays;
import java.util.List;

/**
 * Initialising a student from a teacher of the same width (DistilBERT, Sanh et al. 2019: the student
 * takes one layer out of two of the teacher). The student's i-th Linear layer receives a copy of the
 * weights and bias of the teacher's Linear layer number {@code teacherLayers[i]} (counting Linear
 * layers only, from 0).
 */
public final class LayerTransfer {
    private LayerTransfer() {}

    @SuppressWarnings("try") // the scope object only restores the grad mode on close
    public static void copyLayers(Sequential teacher, Sequential student, int... teacherLayers) {
        List<Linear> from = teacher.linears();
        List<Linear> to = student.linears();
        if (teacherLayers.length != to.size()) {
            throw new IllegalArgumentException("copyLayers: the student has " + to.size() + " Linear layers but "
                    + teacherLayers.length + " teacher layers were chosen " + Arrays.toString(teacherLayers));
        }
        for (int i = 0; i < teacherLayers.length; i++) {
            int k = teacherLayers[i];
            if (k < 0 || k >= from.size()) {
                throw new IllegalArgumentException("copyLayers: teacher layer " + k + " is outside [0, " + from.size() + ")");
            }
            Linear t = from.get(k), s = to.get(i);
            if (!Arrays.equals(t.weight.shape(), s.weight.shape()) || (t.bias == null) != (s.bias == null)) {
                throw new IllegalArgumentException("copyLayers: teacher layer " + k + " " + t + " has weight shape "
                        + Shapes.str(t.weight.shape()) + " but student layer " + i + " " + s + " has "
                        + Shapes.str(s.weight.shape()) + " (layers must have the same width)");
            }
        }
        try (var g = Grad.disabled()) {
            for (int i = 0; i < teacherLayers.length; i++) {
                Linear t = from.get(teacherLayers[i]), s = to.get(i);
                s.weight.set(t.weight.data());
                if (s.bias != null) s.bias.set(t.bias.data());
            }
        }
    }
}
