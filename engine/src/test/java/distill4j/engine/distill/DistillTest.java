package distill4j.engine.distill;

import static distill4j.engine.GradCheck.assertClose;
import static distill4j.engine.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.AllBackends.BackendTest;
import distill4j.engine.GradCheck;
import distill4j.engine.Ref64;
import distill4j.engine.Tensor;
import distill4j.engine.nn.Init;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Module;
import distill4j.engine.nn.Sequential;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistillTest {
    /** Probabilities from float32 softmax vs float64: a few ulps. */
    private static final double P_ATOL = 1e-6, P_RTOL = 1e-5;

    private static double[] logitsOf(Module m, Tensor x) {
        float[] f = m.predict(x).data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @BackendTest
    void ensemblesCombineByArithmeticAndGeometricMean() {
        int b = 6, in = 5, c = 4;
        float t = 3f;
        Sequential m1 = MLP.of(in, 8, c).init(Init.gaussian(1)).seed(1).build();
        Sequential m2 = MLP.of(in, 8, c).init(Init.gaussian(1)).seed(2).build();
        Sequential m3 = MLP.of(in, 8, c).init(Init.gaussian(1)).seed(3).build();
        Tensor x = GradCheck.tensor(uniform(new SplittableRandom(5), b * in, -1, 1), b, in);
        double[][] p = new double[3][], lp = new double[3][];
        Module[] ms = {m1, m2, m3};
        for (int k = 0; k < 3; k++) {
            p[k] = Ref64.softmax(logitsOf(ms[k], x), b, c, t);
            lp[k] = Ref64.logSoftmax(logitsOf(ms[k], x), b, c, t);
        }
        double[] arith = new double[b * c], geo = new double[b * c];
        for (int i = 0; i < b * c; i++) {
            arith[i] = (p[0][i] + p[1][i] + p[2][i]) / 3;
            geo[i] = Math.exp((lp[0][i] + lp[1][i] + lp[2][i]) / 3);
        }
        for (int r = 0; r < b; r++) { // renormalise the geometric mean
            double s = 0;
            for (int j = 0; j < c; j++) s += geo[r * c + j];
            for (int j = 0; j < c; j++) geo[r * c + j] /= s;
        }
        assertClose("arithmetic ensemble", Ensemble.arithmetic(m1, m2, m3).softTargets(x, t).data(), arith, P_ATOL, P_RTOL);
        assertClose("geometric ensemble", Ensemble.geometric(m1, m2, m3).softTargets(x, t).data(), geo, P_ATOL, P_RTOL);
        // the two combinations differ (so the test tells them apart)
        double maxDiff = 0;
        for (int i = 0; i < arith.length; i++) maxDiff = Math.max(maxDiff, Math.abs(arith[i] - geo[i]));
        assertTrue(maxDiff > 1e-3, "arithmetic and geometric means coincide: " + maxDiff);
    }

    @BackendTest
    void teacherSoftTargetsUseEvalModeAndNoGraph() {
        Sequential teacher = MLP.of(6, 10, 3).dropout(0.3f, 0.5f).seed(4).build();
        Tensor x = Tensor.ones(2, 6);
        Tensor p1 = Teacher.of(teacher).softTargets(x, 2f), p2 = Teacher.of(teacher).softTargets(x, 2f);
        assertArrayEquals(p1.data(), p2.data(), "dropout is off: soft targets are deterministic");
        assertFalse(p1.requiresGrad());
        assertTrue(teacher.isTraining(), "the teacher's mode is restored");
        for (int r = 0; r < 2; r++) {
            double s = p1.get(r, 0) + p1.get(r, 1) + p1.get(r, 2);
            assertTrue(Math.abs(s - 1) < 1e-6, "row " + r + " sums to " + s);
        }
    }

    @BackendTest
    void softTargetsInBatchesEqualOneBigBatch() {
        Sequential teacher = MLP.of(4, 7, 5).seed(9).build();
        Tensor x = GradCheck.tensor(uniform(new SplittableRandom(1), 10 * 4, -2, 2), 10, 4);
        Teacher t = Teacher.of(teacher);
        Tensor all = SoftTargets.compute(t, x, 4f, 100);
        Tensor batched = SoftTargets.compute(t, x, 4f, 3); // 3 + 3 + 3 + 1: a tail batch
        assertArrayEquals(new int[] {10, 5}, batched.shape());
        double[] ref = new double[all.numel()];
        for (int i = 0; i < ref.length; i++) ref[i] = all.data()[i];
        // GEMM blocking may differ with the batch size: compare within rounding
        assertClose("batched soft targets", batched.data(), ref, P_ATOL, P_RTOL);
    }

    @Test
    void studentInitialisedFromChosenTeacherLayers() {
        Sequential teacher = MLP.of(8, 8, 8, 8, 3).seed(1).build();
        Sequential student = MLP.of(8, 8, 3).seed(2).build();
        LayerTransfer.copyLayers(teacher, student, 1, 3);
        assertArrayEquals(teacher.linears().get(1).weight.data(), student.linears().get(0).weight.data());
        assertArrayEquals(teacher.linears().get(1).bias.data(), student.linears().get(0).bias.data());
        assertArrayEquals(teacher.linears().get(3).weight.data(), student.linears().get(1).weight.data());
        // a copy, not shared storage
        student.linears().get(0).weight.data()[0] += 1f;
        assertFalse(teacher.linears().get(1).weight.data()[0] == student.linears().get(0).weight.data()[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerTransfer.copyLayers(teacher, student, 0, 2)); // teacher layer 2 is (8, 8), student layer 1 is (3, 8)
        assertTrue(e.getMessage().contains("(3, 8)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerTransfer.copyLayers(teacher, student, 1));
        assertThrows(IllegalArgumentException.class, () -> LayerTransfer.copyLayers(teacher, student, 1, 9));
    }

}
