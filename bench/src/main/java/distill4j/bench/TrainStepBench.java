package distill4j.bench;

import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
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

import java.util.concurrent.TimeUnit;

/**
 * One whole distillation training step of the 784-1200-1200-10 student at batch 128: forward with
 * dropout (0.2 on the input, 0.5 on hidden units), distillation loss (α = 0.9, T = 4, soft targets
 * given), backward, SGD with momentum. bench/report.py turns time per step into samples/s = 128 / time.
 *
 * <p>{@code api}: "engine" runs {@link EngineStep}, the step as a user writes it with the engine (MLP,
 * DistillationLoss, autograd, SGD) on the chosen backend, inside a {@link distill4j.engine.Workspace} so
 * that steps after the first reuse their float arrays; "engine-noworkspace" is the same step without the
 * workspace, every result and gradient a new array (run it with {@code -prof gc} beside "engine" to see
 * the allocation per step, gc.alloc.rate.norm); "kernels" runs {@link MlpStep}, the same step
 * written directly as Backend kernel calls with preallocated buffers, an upper bound on what the engine
 * can reach (no autograd graph or tensor overhead). The teacher's forward pass is not part of the step
 * (its soft targets are given).
 *
 * <p>Allocation per step: {@code java -jar bench/target/benchmarks.jar TrainStepBench -p variant=simd
 * -p threads=1 -p api=engine,engine-noworkspace,kernels -f 1 -wi 3 -i 5 -w 1 -r 1 -prof gc}; the figures
 * measured are in bench/README.md.
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
    /** Steps run in setup (each one calls every kernel ~10 times). */
    static final int SETUP_WARMUP_STEPS = 10;
    static final int BATCH = 128;
    static final float P_IN = 0.2f, P_HIDDEN = 0.5f, T = 4f, ALPHA = 0.9f, LR = 0.01f, MOMENTUM = 0.9f;

    /** The distill4j backend that runs the kernels ("simd", "scalar", ...). */
    @Param({"simd"})
    public String variant;

    /**
     * How the step is written: "engine" ({@link EngineStep} in a workspace), "engine-noworkspace" (the
     * same without buffer reuse) or "kernels" (direct Backend calls, {@link MlpStep}).
     */
    @Param({"engine", "kernels"})
    public String api;

    @Param({"1", "2"})
    public int threads;

    private MlpStep step;
    private EngineStep engineStep;
    private float[] x, soft;
    private int[] labels;

    @Setup
    public void setup() {
        boolean engine = "engine".equals(api) || "engine-noworkspace".equals(api);
        if (!"kernels".equals(api) && !engine) {
            throw new IllegalArgumentException("train step api must be engine, engine-noworkspace or kernels, got " + api);
        }
        MlpStep.Batch data = MlpStep.Batch.random(DIMS, BATCH, T, 4, 5);
        x = data.x();
        labels = data.labels();
        soft = data.soft();
        Backend backend = Variants.backend(variant, threads);
        double loss;
        if (engine) {
            Backends.setDefault(backend); // the engine runs its kernels on Backends.get()
            engineStep = new EngineStep(DIMS, BATCH, P_IN, P_HIDDEN, T, ALPHA, LR, MOMENTUM, 9, x, soft, labels,
                    "engine".equals(api));
            loss = engineStep.step();
        } else {
            step = new MlpStep(backend, DIMS, BATCH, P_IN, P_HIDDEN, T, ALPHA, LR, MOMENTUM, 9);
            loss = step.step(x, soft, labels);
        }
        if (!Double.isFinite(loss)) throw new IllegalStateException("train step (" + variant + "): loss " + loss);
        // let C2 compile the kernels before JMH's warm-up (see Check.SETUP_WARMUP_CALLS)
        for (int i = 0; i < SETUP_WARMUP_STEPS; i++) trainStep();
        String pool = engineStep != null && engineStep.workspace() != null
                ? ", workspace holds " + engineStep.workspace().arraysCreated() + " arrays, "
                        + engineStep.workspace().bytesCreated() + " bytes" : "";
        System.out.println("# train step " + variant + ": distill4j " + backend.name() + " via " + api + ", threads "
                + threads + ", first loss " + loss + pool);
    }

    @Benchmark
    public double trainStep() {
        return engineStep != null ? engineStep.step() : step.step(x, soft, labels);
    }
}
