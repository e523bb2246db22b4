package distill4j.bench;

import distill4j.engine.Tensor;
import distill4j.engine.Workspace;
import distill4j.engine.distill.SoftTargets;
import distill4j.engine.distill.Teacher;
import distill4j.engine.nn.Init;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.kernels.Backends;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * Soft targets of a teacher over a transfer set, the inference a distillation run does once per
 * teacher: the 784-1200-1200-10 ReLU teacher (dropout 0.2 / 0.5, evaluated in eval mode) at T = 4 on one
 * batch of 1,000 rows, {@code SoftTargets.compute(Teacher.of(model), x, 4, 1000)} = softmax(teacher(x) / T), as
 * the engine's user writes it; inside a {@link Workspace} scope when {@code api} is "engine" (the
 * forward pass's arrays reused), a new array per result when "engine-noworkspace". samples/s = 1000 /
 * time per call. The PyTorch peer of the same workload is bench/peers/pytorch_step.py's "infer".
 *
 * <p>{@code java -jar bench/target/benchmarks.jar InferenceBench -p threads=1,2}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InferenceBench {
    static final int[] DIMS = {784, 1200, 1200, 10};
    static final int ROWS = 1000;
    static final float T = 4f;

    /** The distill4j backend that runs the kernels ("simd", "scalar", ...). */
    @Param({"simd"})
    public String variant;

    @Param({"engine", "engine-noworkspace"})
    public String api;

    @Param({"1", "2"})
    public int threads;

    private Teacher teacher;
    private Tensor x;
    private Workspace workspace;

    @Setup
    public void setup() {
        if (!"engine".equals(api) && !"engine-noworkspace".equals(api)) {
            throw new IllegalArgumentException("inference api must be engine or engine-noworkspace, got " + api);
        }
        Backends.setDefault(Variants.backend(variant, threads)); // the engine runs its kernels on Backends.get()
        Sequential model = MLP.of(DIMS).dropout(0.2f, 0.5f).init(Init.heUniform()).biasInit(Init.zeros()).seed(11).build();
        teacher = Teacher.of(model); // eval mode, no graph
        float[] v = new float[ROWS * DIMS[0]];
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble();
        x = Tensor.of(v, ROWS, DIMS[0]);
        workspace = "engine".equals(api) ? new Workspace() : null;
        // the result is a distribution per row: a check, then C2 warm-up before JMH's
        float[] p = SoftTargets.compute(teacher, x, T, ROWS).data();
        float sum = 0;
        for (int j = 0; j < DIMS[3]; j++) sum += p[j];
        if (Math.abs(sum - 1f) > 1e-4f) throw new IllegalStateException("inference: row 0 of the soft targets sums to " + sum);
        for (int i = 0; i < 5; i++) inferBatch();
        System.out.println("# inference " + variant + " via " + api + ", threads " + threads + ", backend " + Backends.get().name());
    }

    /** One batch of soft targets; returns the first probability (the arrays are the workspace's until the scope closes). */
    @Benchmark
    public float inferBatch() {
        if (workspace == null) return SoftTargets.compute(teacher, x, T, ROWS).data()[0];
        try (Workspace.Scope s = workspace.open()) {
            return SoftTargets.compute(teacher, x, T, ROWS).data()[0];
        }
    }
}
