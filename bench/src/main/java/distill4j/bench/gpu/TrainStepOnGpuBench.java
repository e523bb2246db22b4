package distill4j.bench.gpu;

import distill4j.bench.EngineStep;
import distill4j.bench.MlpStep;
import distill4j.bench.Variants;
import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
import distill4j.kernels.device.DeviceKernels;
import distill4j.kernels.simd.SimdBackend;
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
 * The engine's distillation training step of the 784-1200-1200-10 student at batch 128 (as
 * {@link distill4j.bench.TrainStepBench}'s "engine" step: dropout 0.2/0.5, α = 0.9, T = 4, SGD momentum
 * 0.9, in a Workspace), device-resident ({@code cuda}: the model moved with {@code Module.toDevice} to
 * {@link Backends#device()}; per step the batch, soft targets and labels go in and the two per-row losses
 * come out, and reading the loss waits for the step) beside the SIMD backend on host arrays, in one
 * run. samples/s = 128 / time (bench/report.py). Needs a GPU for {@code cuda}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainStepOnGpuBench {
    static final int[] DIMS = {784, 1200, 1200, 10};
    static final int BATCH = 128, SETUP_WARMUP_STEPS = 10;
    static final float P_IN = 0.2f, P_HIDDEN = 0.5f, T = 4f, ALPHA = 0.9f, LR = 0.01f, MOMENTUM = 0.9f;

    /** "cuda" (the model on Backends.device()) or a distill4j CPU backend ("simd"). */
    @Param({"cuda", "simd"})
    public String variant;

    /** How the step is written (report.py's column): always the engine's, in a workspace. */
    @Param({"engine"})
    public String api;

    /** Threads of the CPU backend (host-array work of the cuda step too: the loss scalars). */
    @Param({"1"})
    public int threads;

    private EngineStep step;

    @Setup
    public void setup() {
        if (!"engine".equals(api)) throw new IllegalArgumentException("TrainStepOnGpuBench runs the engine step only, got api " + api);
        MlpStep.Batch data = MlpStep.Batch.random(DIMS, BATCH, T, 4, 5);
        String where;
        if ("cuda".equals(variant)) {
            Backends.setDefault(new SimdBackend()); // host arrays (the loss scalars) on the CPU, as Backends.get() would choose
            DeviceKernels device;
            try {
                device = Backends.device();
            } catch (RuntimeException e) {
                throw new IllegalStateException("GPU benchmark skipped: no device for device-resident tensors: " + e.getMessage(), e);
            }
            if (!device.name().startsWith("cuda")) {
                throw new IllegalStateException("GPU benchmark skipped: Backends.device() is " + device.name() + ", not cuda");
            }
            step = new EngineStep(DIMS, BATCH, P_IN, P_HIDDEN, T, ALPHA, LR, MOMENTUM, 9, data.x(), data.soft(), data.labels())
                    .toDevice(device);
            where = "device-resident on " + device.name();
        } else {
            Backend backend = Variants.backend(variant, threads);
            Backends.setDefault(backend);
            step = new EngineStep(DIMS, BATCH, P_IN, P_HIDDEN, T, ALPHA, LR, MOMENTUM, 9, data.x(), data.soft(), data.labels());
            where = "distill4j " + backend.name() + ", threads " + threads;
        }
        double loss = step.step();
        if (!Double.isFinite(loss)) throw new IllegalStateException("train step (" + variant + "): loss " + loss);
        for (int i = 0; i < SETUP_WARMUP_STEPS; i++) step.step();
        System.out.println("# train step " + variant + ": " + where + " via engine, first loss " + loss);
    }

    @Benchmark
    public double trainStep() {
        return step.step();
    }
}
