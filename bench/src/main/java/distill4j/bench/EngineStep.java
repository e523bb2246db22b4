package distill4j.bench;

import distill4j.engine.Tensor;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.nn.Init;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.SGD;

/**
 * The same training step as {@link MlpStep}, written the way a user of the engine writes it: an
 * {@code MLP} with dropout, {@code DistillationLoss}, autograd {@code backward()}, {@code SGD} with
 * momentum. The engine runs its kernels on {@code Backends.get()}, which the caller sets.
 */
public final class EngineStep {
    private final Sequential student;
    private final SGD optimizer;
    private final DistillationLoss loss;
    private final Tensor x, soft;
    private final int[] labels;

    /** x (B, dims[0]), soft (B, classes) the teacher's probabilities at T, labels (B). */
    public EngineStep(int[] dims, int batch, float pIn, float pHidden, float temperature, float alpha, float lr,
                      float momentum, long seed, float[] x, float[] soft, int[] labels) {
        student = MLP.of(dims).dropout(pIn, pHidden).init(Init.heUniform()).seed(seed).build();
        student.train();
        optimizer = new SGD(student.parameters(), lr).momentum(momentum);
        loss = new DistillationLoss(alpha, temperature);
        this.x = Tensor.of(x, batch, dims[0]);
        this.soft = Tensor.of(soft, batch, dims[dims.length - 1]);
        this.labels = labels;
    }

    /** The student network (for tests that compare it with {@link MlpStep}). */
    Sequential student() { return student; }

    /** One step: forward with dropout, L = α·T²·CE(p, q_T) + (1 − α)·CE(y, q_1), backward, SGD. Returns L. */
    public float step() {
        optimizer.zeroGrad();
        Tensor l = loss.compute(student.forward(x), soft, labels);
        l.backward();
        optimizer.step();
        return l.item();
    }
}
