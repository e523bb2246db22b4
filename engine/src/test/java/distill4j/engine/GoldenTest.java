package distill4j.engine;

import static distill4j.engine.GradCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import distill4j.engine.AllBackends.BackendTest;
import distill4j.engine.distill.Teacher;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.loss.Losses;
import distill4j.engine.loss.Reduction;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.SGD;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values and gradients produced once by PyTorch (tools/golden/make_golden.py, committed as
 * resources/golden/pytorch_golden.txt) on the same float32 inputs, and an end-to-end golden run: a
 * tiny teacher trained 5 SGD steps, then a student distilled 5 steps, step by step.
 */
class GoldenTest {
    /** One op in float32 on both sides; only the summation order differs. */
    private static final double GOLDEN_ATOL = 1e-5, GOLDEN_RTOL = 1e-4;
    /** Ten momentum-SGD steps compound float32 rounding differences (PyTorch's order of sums is not ours). */
    private static final double E2E_ATOL = 1e-4, E2E_RTOL = 1e-3;

    private static Map<String, Tensor> golden;

    private static synchronized Map<String, Tensor> golden() throws IOException {
        if (golden == null) {
            Map<String, Tensor> m = new HashMap<>();
            try (var in = GoldenTest.class.getResourceAsStream("/golden/pytorch_golden.txt")) {
                assertNotNull(in, "golden/pytorch_golden.txt is missing from the test resources");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isBlank() || line.startsWith("#")) continue;
                    String[] parts = line.split(" : ", 2);
                    String[] head = parts[0].trim().split(" ");
                    int[] shape = new int[head.length - 1];
                    for (int i = 1; i < head.length; i++) shape[i - 1] = Integer.parseInt(head[i]);
                    String[] vals = parts[1].trim().split(" ");
                    float[] data = new float[vals.length];
                    for (int i = 0; i < vals.length; i++) data[i] = Float.parseFloat(vals[i]);
                    m.put(head[0], Tensor.of(data, shape));
                }
            }
            golden = m;
        }
        return golden;
    }

    private static Tensor g(String name) throws IOException {
        Tensor t = golden().get(name);
        assertNotNull(t, "no golden value '" + name + "'");
        return t.copy();
    }

    private static int[] ints(Tensor t) {
        int[] out = new int[t.numel()];
        for (int i = 0; i < out.length; i++) out[i] = (int) t.data()[i];
        return out;
    }

    private static void same(String what, Tensor actual, Tensor expected, double atol, double rtol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = new double[expected.numel()];
        for (int i = 0; i < e.length; i++) e[i] = expected.data()[i];
        assertClose(what + " vs PyTorch", actual.data(), e, atol, rtol);
    }

    private static void same(String what, Tensor actual, String goldenName) throws IOException {
        same(what, actual, g(goldenName), GOLDEN_ATOL, GOLDEN_RTOL);
    }

    @BackendTest
    void softmaxAndLogSoftmaxAtTemperature() throws IOException {
        float t = g("T").item();
        Tensor z = g("z").requiresGrad(true);
        same("softmax(z/T)", z.softmax(t), "softmax_T");
        same("log_softmax(z/T)", z.logSoftmax(t), "log_softmax_T");
        z.softmax(t).backward(g("upstream"));
        same("softmax VJP", z.grad(), "softmax_T_vjp");
        z.zeroGrad();
        z.logSoftmax(t).backward(g("upstream"));
        same("log-softmax VJP", z.grad(), "log_softmax_T_vjp");
    }

    @BackendTest
    void losses() throws IOException {
        float t = g("T").item(), alpha = g("alpha").item();
        int[] labels = ints(g("labels"));

        Tensor z = g("z").requiresGrad(true);
        Tensor ce = Losses.crossEntropy(z, labels);
        ce.backward();
        same("cross-entropy", ce, "ce_value");
        same("cross-entropy gradient", z.grad(), "ce_grad");

        DistillationLoss distill = new DistillationLoss(alpha, t);
        Tensor p = distill.softTargets(g("v"));
        same("soft targets", p, "soft_targets_T");
        z = g("z").requiresGrad(true);
        Tensor d = distill.computeFromTeacherLogits(z, g("v"), labels);
        d.backward();
        same("distillation loss", d, "distill_value");
        same("distillation gradient", z.grad(), "distill_grad");

        z = g("z").requiresGrad(true);
        Tensor kl = Losses.klDivergence(z, p, t, Reduction.BATCH_MEAN);
        kl.backward();
        same("KL (batch mean)", kl, "kl_value");
        same("KL gradient", z.grad(), "kl_grad");

        z = g("z").requiresGrad(true);
        Tensor lm = Losses.logitMatching(z, g("v"), Reduction.BATCH_MEAN);
        lm.backward();
        same("logit matching", lm, "logit_matching_value");
        same("logit matching gradient", z.grad(), "logit_matching_grad");

        Tensor hs = g("hidden_student").requiresGrad(true);
        Tensor cos = Losses.cosineEmbedding(hs, g("hidden_teacher"), Reduction.BATCH_MEAN);
        cos.backward();
        same("cosine embedding loss", cos, "cosine_value");
        same("cosine embedding gradient", hs.grad(), "cosine_grad");
    }

    private static Map<String, Tensor> state(String prefix) throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (String k : golden().keySet()) if (k.startsWith(prefix)) m.put(k.substring(prefix.length()), g(k));
        return m;
    }

    @BackendTest
    void endToEndTeacherThenStudent() throws IOException {
        Tensor x = g("e2e_x");
        int[] y = ints(g("e2e_labels"));
        float t = g("e2e_T").item(), alpha = g("e2e_alpha").item();

        // teacher: 8-16-16-3, 5 steps of SGD (lr 0.2, momentum 0.9) on the labels, full batch
        Sequential teacher = MLP.of(8, 16, 16, 3).build();
        teacher.loadStateDict(state("e2e_teacher_init."));
        SGD sgd = new SGD(teacher.namedParameters(), 0.2f).momentum(0.9f);
        float[] teacherLosses = new float[5];
        for (int step = 0; step < 5; step++) {
            sgd.zeroGrad();
            Tensor loss = Losses.crossEntropy(teacher.forward(x), y);
            loss.backward();
            sgd.step();
            teacherLosses[step] = loss.item();
        }
        same("teacher losses", Tensor.of(teacherLosses, 5), g("e2e_teacher_losses"), E2E_ATOL, E2E_RTOL);

        Tensor softTargets = Teacher.of(teacher).softTargets(x, t);
        same("teacher soft targets", softTargets, g("e2e_soft_targets"), E2E_ATOL, E2E_RTOL);

        // student: 8-6-3, 5 steps of Nesterov SGD (lr 0.1, momentum 0.9) on the distillation loss
        Sequential student = MLP.of(8, 6, 3).build();
        student.loadStateDict(state("e2e_student_init."));
        SGD opt = new SGD(student.namedParameters(), 0.1f).momentum(0.9f).nesterov(true);
        DistillationLoss distill = new DistillationLoss(alpha, t);
        float[] studentLosses = new float[5];
        for (int step = 0; step < 5; step++) {
            opt.zeroGrad();
            Tensor loss = distill.compute(student.forward(x), softTargets, y);
            loss.backward();
            if (step == 0) {
                for (var e : student.namedParameters().entrySet()) {
                    same("student first gradient " + e.getKey(), e.getValue().grad(),
                            g("e2e_student_first_grad." + e.getKey()), E2E_ATOL, E2E_RTOL);
                }
            }
            opt.step();
            studentLosses[step] = loss.item();
        }
        same("student losses", Tensor.of(studentLosses, 5), g("e2e_student_losses"), E2E_ATOL, E2E_RTOL);
        for (var e : student.stateDict().entrySet()) {
            same("student final " + e.getKey(), e.getValue(), g("e2e_student_final." + e.getKey()), E2E_ATOL, E2E_RTOL);
        }
    }
}
