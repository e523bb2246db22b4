package distill4j.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.distill.SoftTargets;
import distill4j.engine.distill.Teacher;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.loss.Losses;
import distill4j.engine.loss.Reduction;
import distill4j.engine.nn.Dropout;
import distill4j.engine.nn.Linear;
import distill4j.engine.nn.MLP;
import distill4j.engine.optim.MaxNorm;
import distill4j.engine.optim.SGD;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails early, with a message that names the op or loss, the shapes and the bad value. */
class BadInputTest {

    private static void fails(Class<? extends Throwable> type, Executable call, String... mustContain) {
        Throwable t = assertThrows(type, call);
        for (String s : mustContain) {
            assertTrue(t.getMessage() != null && t.getMessage().contains(s),
                    "message '" + t.getMessage() + "' does not mention '" + s + "'");
        }
    }

    private static Tensor logits(int b, int c) {
        float[] d = new float[b * c];
        for (int i = 0; i < d.length; i++) d[i] = (i % 7) * 0.3f - 1f;
        return Tensor.of(d, b, c);
    }

    private static Tensor uniformProbs(int b, int c) {
        return Tensor.full(1f / c, b, c);
    }

    @Test
    void mismatchedShapesNameTheOpAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 6)));
        assertTrue(e.getMessage().startsWith("matmul: shapes (3, 4) and (5, 6) do not match"), e.getMessage());
        fails(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).add(Tensor.zeros(4, 3)), "add", "(3, 4)", "(4, 3)");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).mul(Tensor.zeros(3)), "mul", "(3, 4)", "(3,)");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).sub(Tensor.zeros(2, 4)), "sub", "(3, 4)", "(2, 4)");
        fails(IllegalArgumentException.class, () -> Ops.linear(Tensor.zeros(2, 5), Tensor.zeros(3, 4), null),
                "linear", "(2, 5)", "(3, 4)");
        fails(IllegalArgumentException.class, () -> Ops.linear(Tensor.zeros(2, 4), Tensor.zeros(3, 4), Tensor.zeros(4)),
                "linear", "(4,)");
        fails(IllegalArgumentException.class, () -> new Linear(4, 3, 1).forward(Tensor.zeros(2, 5)), "linear", "(2, 5)", "(3, 4)");
        fails(IllegalArgumentException.class, () -> Tensor.zeros(2, 6).reshape(4, 4), "reshape", "(2, 6)");
        fails(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3), "(2, 3)", "5");
        fails(IllegalArgumentException.class, () -> Losses.logitMatching(logits(2, 3), logits(2, 4), Reduction.SUM),
                "logitMatching", "(2, 3)", "(2, 4)");
        fails(IllegalArgumentException.class, () -> Losses.cosineEmbedding(logits(2, 3), logits(3, 3), Reduction.SUM),
                "cosineEmbedding", "(2, 3)", "(3, 3)");
        fails(IllegalArgumentException.class,
                () -> new DistillationLoss(0.5f, 4f).compute(logits(4, 10), uniformProbs(4, 9), new int[4]),
                "distillation", "(4, 10)", "(4, 9)");
        fails(IllegalArgumentException.class, () -> Losses.crossEntropy(logits(4, 10), new int[3]), "crossEntropy", "3 labels", "(4, 10)");
    }

    @Test
    void temperatureMustBeFiniteAndPositive() {
        for (float t : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            String shown = "T = " + t;
            fails(IllegalArgumentException.class, () -> new DistillationLoss(0.5f, t), "distillation", shown);
            fails(IllegalArgumentException.class, () -> logits(2, 3).softmax(t), "softmax", shown);
            fails(IllegalArgumentException.class, () -> logits(2, 3).logSoftmax(t), "logSoftmax", shown);
            fails(IllegalArgumentException.class, () -> Losses.softCrossEntropy(logits(2, 3), uniformProbs(2, 3), t, Reduction.SUM),
                    "softCrossEntropy", shown);
            fails(IllegalArgumentException.class, () -> Losses.klDivergence(logits(2, 3), uniformProbs(2, 3), t, Reduction.SUM),
                    "klDivergence", shown);
            Teacher teacher = (x, temp) -> x;
            fails(IllegalArgumentException.class, () -> SoftTargets.compute(teacher, logits(2, 3), t, 1), "softTargets", shown);
        }
    }

    @Test
    void alphaMustBeInUnitInterval() {
        for (float a : new float[] {-0.1f, 1.01f, Float.NaN}) {
            fails(IllegalArgumentException.class, () -> new DistillationLoss(a, 2f), "alpha", "alpha = " + a);
        }
        fails(IllegalArgumentException.class,
                () -> new DistillationLoss(0.9f, 2f).compute(logits(2, 3), uniformProbs(2, 3), null), "alpha = 0.9", "no labels");
    }

    @Test
    void labelsOutOfRange() {
        fails(IllegalArgumentException.class, () -> Losses.crossEntropy(logits(3, 10), new int[] {0, 10, 2}),
                "crossEntropy", "label 10", "row 1", "[0, 10)");
        fails(IllegalArgumentException.class, () -> Losses.crossEntropy(logits(3, 10), new int[] {0, 1, -1}),
                "label -1", "row 2");
        fails(IllegalArgumentException.class,
                () -> new DistillationLoss(0.5f, 2f).compute(logits(2, 4), uniformProbs(2, 4), new int[] {4, 0}), "label 4");
    }

    /**
     * A NaN weight reaches the loss and trips its NaN guard on every backend: ReLU passes NaN through as
     * in PyTorch (relu(NaN) = NaN), where a ReLU that maps NaN to 0 would hide it and train on.
     */
    @AllBackends.BackendTest
    void nanWeightInAnMlpGivesANanLoss(distill4j.kernels.Backend backend) {
        var net = MLP.of(5, 7, 3).seed(17).build();
        net.parameters().get(0).data()[3] = Float.NaN;  // first layer, unit 0, input 3
        Tensor x = logits(4, 5);
        Tensor z = net.forward(x);
        assertTrue(Float.isNaN(z.data()[0]), backend.name() + ": logit (0, 0) is " + z.data()[0] + ", not NaN");
        fails(ArithmeticException.class, () -> Losses.crossEntropy(z, new int[] {0, 1, 2, 0}), "crossEntropy", "NaN");
    }

    @Test
    void nanOrInfiniteLossThrowsNamingTheLoss() {
        Tensor z = logits(3, 4);
        z.data()[5] = Float.NaN;
        fails(ArithmeticException.class, () -> Losses.crossEntropy(z, new int[] {0, 1, 2}), "crossEntropy", "NaN", "learning rate");
        fails(ArithmeticException.class, () -> Losses.softCrossEntropy(z, uniformProbs(3, 4), 2f, Reduction.BATCH_MEAN),
                "softCrossEntropy", "NaN");
        fails(ArithmeticException.class, () -> new DistillationLoss(0.5f, 2f).compute(z, uniformProbs(3, 4), new int[3]),
                "distillation", "NaN");
        fails(ArithmeticException.class, () -> Losses.klDivergence(z, uniformProbs(3, 4), 1f, Reduction.SUM), "klDivergence");
        Tensor inf = logits(3, 4);
        inf.data()[0] = Float.POSITIVE_INFINITY;
        fails(ArithmeticException.class, () -> Losses.logitMatching(inf, logits(3, 4), Reduction.SUM), "logitMatching", "Infinity");
        fails(ArithmeticException.class, () -> Losses.crossEntropy(inf, new int[] {1, 1, 1}), "crossEntropy");
    }

    @Test
    void softTargetsMustBeProbabilities() {
        fails(IllegalArgumentException.class, () -> new DistillationLoss(1f, 2f).compute(logits(2, 3), logits(2, 3), null),
                "distillation", "not a probability", "logits");
        Tensor p = uniformProbs(2, 4);
        p.data()[1] = 0.5f;
        fails(IllegalArgumentException.class, () -> Losses.softCrossEntropy(logits(2, 4), p, 1f, Reduction.SUM), "row 0", "sums to");
        Tensor needsGrad = uniformProbs(2, 3).requiresGrad(true);
        fails(IllegalArgumentException.class,
                () -> Ops.softmaxCrossEntropySoft(logits(2, 3), needsGrad, 1f, 1f), "require a gradient", "detach");
    }

    @Test
    void autogradMisuse() {
        Tensor x = Tensor.zeros(2, 3).requiresGrad(true);
        Tensor y = x.mul(2f);
        fails(IllegalStateException.class, y::backward, "backward", "(2, 3)");
        fails(IllegalArgumentException.class, () -> y.backward(Tensor.zeros(3, 2)), "(3, 2)", "(2, 3)");
        fails(IllegalStateException.class, () -> y.requiresGrad(false), "leaf", "scale");
        fails(IllegalStateException.class, () -> Tensor.zeros(1).sum().backward(), "does not require a gradient");
        fails(IllegalStateException.class, () -> Tensor.zeros(2).item(), "item", "(2,)");
    }

    @Test
    void badModuleAndOptimizerArguments() {
        fails(IllegalArgumentException.class, () -> new Dropout(1f, 0), "dropout", "p", "1.0");
        fails(IllegalArgumentException.class, () -> Ops.dropout(Tensor.zeros(3), -0.1f, 0, 0), "dropout", "-0.1");
        fails(IllegalArgumentException.class, () -> MLP.of(10), "MLP");
        fails(IllegalArgumentException.class, () -> new Linear(0, 3, 1), "linear", "in = 0");
        Linear l = new Linear(3, 2, 1);
        fails(IllegalArgumentException.class, () -> new SGD(l.namedParameters(), -1f), "learning rate", "-1.0");
        fails(IllegalArgumentException.class, () -> new SGD(l.namedParameters(), 0.1f).momentum(1f), "momentum");
        fails(IllegalArgumentException.class, () -> new MaxNorm(l.modules().stream()
                .filter(m -> m instanceof Linear).map(m -> (Linear) m).toList(), 0f), "MaxNorm", "0.0");
        fails(IllegalArgumentException.class, () -> l.loadStateDict(Map.of("weight", Tensor.zeros(3, 2), "bias", Tensor.zeros(2))),
                "weight", "(3, 2)", "(2, 3)");
        fails(IllegalArgumentException.class, () -> l.loadStateDict(Map.of("weight", Tensor.zeros(2, 3))), "missing", "bias");
    }
}
