package distill4j.bench;

import distill4j.kernels.scalar.ScalarBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One whole distillation training step of the 784-1200-1200-10 student at batch 128: forward with
 * dropout (0.2 on the input, 0.5 on hidden units), distillation loss (α = 0.9, T = 4, soft targets
 * given), backward, SGD with momentum. bench/report.py turns time per step into samples/s = 128 / time.
 *
 * <p>Variant "kernels" runs {@link MlpStep}: the step written directly as Backend kernel calls with
 * preallocated buffers, so the figure is an upper bound on what the engine can reach (no autograd graph
 * or tensor overhead). The teacher's forward pass is not part of the step (its soft targets are given).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainStepBench {
    static final int[] DIMS = {784, 1200, 1200, 10};
    static final int BATCH = 128;
    static final float P_IN = 0.2f, P_HIDDEN = 0.5f, T = 4f, ALPHA = 0.9f, LR = 0.01f, MOMENTUM = 0.9f;

    /** The distill4j backend that runs the kernels ("simd", "scalar", ...). */
    @Param({"simd"})
    public String variant;

    /** How the step is written: "kernels" = direct Backend calls ({@link MlpStep}). */
    @Param({"kernels"})
    public String api;

    @Param({"1", "2"})
    public int threads;

    private MlpStep step;
    private float[] x, soft;
    private int[] labels;

    @Setup
    public void setup() {
        if (!"kernels".equals(api)) throw new IllegalArgumentException("train step api must be kernels, got " + api);
        SplittableRandom rnd = new SplittableRandom(5);
        int classes = DIMS[DIMS.length - 1];
        x = new float[BATCH * DIMS[0]];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble();
        labels = new int[BATCH];
        for (int r = 0; r < BATCH; r++) labels[r] = rnd.nextInt(classes);
        float[] teacher = new float[BATCH * classes];
        for (int i = 0; i < teacher.length; i++) teacher[i] = (float) (rnd.nextGaussian() * 4);
        soft = new float[BATCH * classes];
        new ScalarBackend().softmaxForward(teacher, soft, BATCH, classes, T);
        step = new MlpStep(Variants.backend(variant, threads), DIMS, BATCH, P_IN, P_HIDDEN, T, ALPHA, LR, MOMENTUM, 9);
        double loss = step.step(x, soft, labels);
        if (!Double.isFinite(loss)) throw new IllegalStateException("train step (" + variant + "): loss " + loss);
        System.out.println("# train step " + variant + ": distill4j " + variant + ", threads " + threads + ", first loss " + loss);
    }

    @Benchmark
    public double trainStep() {
        return step.step(x, soft, labels);
    }
}
