package distill4j.engine.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import distill4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Ensemble#combine} from members' logits against float64 arithmetic and geometric means. */
class EnsembleCombineTest {
    static final long SEED = 4242L;
    /** float32 softmax and accumulation vs float64. */
    static final double ATOL = 2e-6, RTOL = 2e-5;

    @Test
    void combineMatchesFloat64Means() {
        SplittableRandom r = new SplittableRandom(SEED);
        int members = 3, rows = 5, cols = 7;
        double[][] v = new double[members][rows * cols];
        List<Tensor> logits = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            float[] f = new float[rows * cols];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) (r.nextGaussian() * 4);
                v[m][i] = f[i];
            }
            logits.add(Tensor.of(f, rows, cols));
        }
        for (float t : new float[] {1f, 3f, 20f}) {
            float[] arith = Ensemble.combine(Ensemble.Combine.ARITHMETIC, logits, t).data();
            float[] geo = Ensemble.combine(Ensemble.Combine.GEOMETRIC, logits, t).data();
            for (int b = 0; b < rows; b++) {
                double[] a = new double[cols], g = new double[cols];
                for (int m = 0; m < members; m++) {
                    double max = Double.NEGATIVE_INFINITY, z = 0;
                    for (int j = 0; j < cols; j++) max = Math.max(max, v[m][b * cols + j] / t);
                    for (int j = 0; j < cols; j++) z += Math.exp(v[m][b * cols + j] / t - max);
                    for (int j = 0; j < cols; j++) {
                        double p = Math.exp(v[m][b * cols + j] / t - max) / z;
                        a[j] += p / members;
                        g[j] += Math.log(p) / members;
                    }
                }
                double gz = 0;
                for (int j = 0; j < cols; j++) gz += Math.exp(g[j]);
                for (int j = 0; j < cols; j++) {
                    double ge = Math.exp(g[j]) / gz;
                    assertEquals(a[j], arith[b * cols + j], ATOL + RTOL * a[j], "arithmetic T " + t + " (seed " + SEED + ")");
                    assertEquals(ge, geo[b * cols + j], ATOL + RTOL * ge, "geometric T " + t + " (seed " + SEED + ")");
                }
            }
        }
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Ensemble.combine(Ensemble.Combine.ARITHMETIC, List.of(), 1f));
        List<Tensor> mismatched = List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4));
        assertThrows(IllegalArgumentException.class, () -> Ensemble.combine(Ensemble.Combine.GEOMETRIC, mismatched, 2f));
    }
}
