package distill4j.bench;

import distill4j.engine.Tensor;
import distill4j.engine.Workspace;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.nn.Init;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.SGD;

/**
 * The same training step as {@link MlpStep}, written the way a user of the engine writes it: an
 * {@code MLP} with dropout, {@code DistillationLoss}, autograd {@code backward()}, {@code SGD} with
 * momentum. The engine runs its kernels on {@code Backends.get()}, which the caller sets.
 *
 * <p>With a {@link Workspace} (the default) each step runs inside {@code workspace.open()}, so from the
 * second step on the op results, intermediate gradients and temporaries reuse the first step's arrays;
 * without one every step allocates them anew (the engine's behaviour without the opt-in).
 */
public final class EngineStep {
    private final Sequential student;
    private final SGD optimizer;
    private final DistillationLoss loss;
    private final Tensor x, soft;
    private final int[] labels;
    private final Workspace workspace;

    /** x (B, dims[0]), soft (B, classes) the teacher's probabilities at T, labels (B); with a workspace. */
    public EngineStep(int[] dims, int batch, float pIn, float pHidden, float temperature, float alpha, float lr,
                      float momentum, long seed, float[] x, float[] soft, int[] labels) {
        this(dims, batch, pIn, pHidden, temperature, alpha, lr, momentum, seed, x, soft, labels, true);
    }

    /** As above; {@code useWorkspace} false runs every step without buffer reuse. */
    public EngineStep(int[] dims, int batch, float pIn, float pHidden, float temperature, float alpha, float lr,
                      float momentum, long seed, float[] x, float[] soft, int[] labels, boolean useWorkspace) {
        workspace = useWorkspace ? new Workspace() : null;
        student = MLP.of(dims).dropout(pIn, pHidden).init(Init.heUniform()).seed(seed).build();
        student.train();
        optimizer = new SGD(student.parameters(), lr).momentum(momentum);
        loss = new DistillationLoss(alpha, temperature);
        this.x = Tensor.of(x, batch, dims[0]);
        this.soft = Tensor.of(soft, batch, dims[dims.length - 1]);
        this.labels = labels;
    }

    /**
     * Moves the student (and so its gradients and momentum) to {@code device}: the engine's device-resident
     * step. The batch, soft targets and labels stay host arrays, copied in by the first op that reads them,
     * and the loss comes back as a host scalar, every step (as in cuda's DeviceResidentStepTest).
     */
    public EngineStep toDevice(distill4j.kernels.device.DeviceKernels device) {
        student.toDevice(device);
        return this;
    }

    /** The student network (for tests that compare it with {@link MlpStep}). */
    Sequential student() { return student; }

    /** The workspace the steps run in, or null. */
    public Workspace workspace() { return workspace; }

    /** One step: forward with dropout, L = α·T²·CE(p, q_T) + (1 − α)·CE(y, q_1), backward, SGD. Returns L. */
    public float step() {
        if (workspace == null) return stepBody();
        try (Workspace.Scope s = workspace.open()) {
            return stepBody(); // the loss is read inside the scope: its tensor is released on close
        }
    }

    private float stepBody() {
        optimizer.zeroGrad();
        Tensor l = loss.compute(student.forward(x), soft, labels);
        l.backward();
        optimizer.step();
        return l.item();
    }
}
