package distill4j.bench;

import distill4j.kernels.Backend;
import distill4j.kernels.ScalarBackend;
import distill4j.kernels.simd.SimdExp;
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
 * Fused softmax-with-temperature + cross-entropy, forward and gradient in one call
 * ({@code softmaxCrossEntropyHard / Soft} with a non-null grad), in GB/s of compulsory traffic:
 * <ul>
 *   <li>hard: read logits (R·C floats) and labels (R ints), write grad (R·C): 8·R·C + 4·R bytes</li>
 *   <li>soft: read logits and targets (2·R·C floats), write grad (R·C): 12·R·C bytes</li>
 * </ul>
 * The peer, variant "copy", is System.arraycopy moving the same number of bytes (read + write), so the
 * ratio says how close the kernel is to a plain memory copy of its data. The second peer, variant
 * "exp-pass", is one pass of the SIMD backend's own vector exp ({@code SimdExp.expArray}) over the R·C
 * logits into the gradient array: work every softmax must do, so its time is a floor for the fused
 * kernel (which also finds the row max, scales, and forms the loss). bench/report.py computes GB/s
 * from the time per call with the byte counts above ({@link #bytes}), for the peers too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SoftmaxCrossEntropyBench {
    /** Loss sums must agree with the scalar reference to this relative tolerance (float32 exp/log). */
    static final double LOSS_RTOL = 1e-4;
    /** Gradient entries: |g − ref| ≤ GRAD_ATOL + GRAD_RTOL·|ref|. */
    static final double GRAD_ATOL = 1e-6, GRAD_RTOL = 1e-3;

    /** A distill4j backend name, "copy", or "exp-pass". */
    @Param({"simd", "copy", "exp-pass"})
    public String variant;

    /** ROWSxCOLS of the logits. */
    @Param({"128x10", "128x1000", "4096x120"})
    public String shape;

    /** "hard" (integer labels, T = 1) or "soft" (teacher probabilities, T = 4). */
    @Param({"hard", "soft"})
    public String target;

    /**
     * Threads of the distill4j backend: calls of at least 65,536 logits run in row chunks on its pool
     * (128×1000 and 4096×120 here). The copy and exp-pass peers are one thread whatever this says.
     */
    @Param({"1", "2"})
    public int threads;

    private Backend backend;
    private int rows, cols;
    private float temperature, gradScale;
    private float[] logits, targets, grad, copySrc, copyDst;
    private int[] labels;

    /** Compulsory bytes read + written by one fused call. */
    public static long bytes(int rows, int cols, String target) {
        return "hard".equals(target) ? 8L * rows * cols + 4L * rows : 12L * rows * cols;
    }

    @Setup
    public void setup() {
        String[] rc = shape.split("x");
        rows = Integer.parseInt(rc[0]);
        cols = Integer.parseInt(rc[1]);
        if (!"hard".equals(target) && !"soft".equals(target)) {
            throw new IllegalArgumentException("softmax-CE target must be hard or soft, got " + target);
        }
        boolean hard = "hard".equals(target);
        temperature = hard ? 1f : 4f;
        gradScale = 1f / rows;
        SplittableRandom rnd = new SplittableRandom(11);
        logits = new float[rows * cols];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (rnd.nextGaussian() * 3);
        labels = new int[rows];
        for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(cols);
        // soft targets: a teacher's softmax at T of other random logits
        float[] teacher = new float[rows * cols];
        for (int i = 0; i < teacher.length; i++) teacher[i] = (float) (rnd.nextGaussian() * 3);
        targets = new float[rows * cols];
        new ScalarBackend().softmax().softmaxForward(teacher, targets, rows, cols, temperature);
        grad = new float[rows * cols];

        if (Variants.COPY.equals(variant)) {
            int n = (int) ((bytes(rows, cols, target) + 7) / 8);
            copySrc = Check.uniform(n, 12);
            copyDst = new float[n];
            System.out.println("# softmax-CE " + target + " " + shape + ": System.arraycopy of " + n + " floats");
            return;
        }
        if ("exp-pass".equals(variant)) {
            if ((rows * cols) % 16 != 0) {
                // a masked tail would allocate on JDK 17 and measure that instead of exp
                throw new IllegalArgumentException("exp-pass needs R·C a multiple of 16, got " + shape);
            }
            // the logits shifted to ≤ 0, as the kernel's exp arguments are
            for (int i = 0; i < logits.length; i++) logits[i] = -Math.abs(logits[i]);
            System.out.println("# softmax-CE " + target + " " + shape + ": one vector-exp pass over " + rows * cols + " floats");
            // compiled before JMH's warm-up, as the kernel is: interpreted, its vector ops are slower by orders
            // of magnitude, and a short warm-up would leave the floor far above the kernel
            // (at least 2M elements in all: 100 calls of 1280 are too few loop trips for C2)
            int calls = Math.max(Check.SETUP_WARMUP_CALLS, 2_000_000 / (rows * cols));
            for (int i = 0; i < calls; i++) SimdExp.expArray(logits, grad, rows * cols);
            return;
        }
        backend = Variants.backend(variant, threads);
        System.out.println("# softmax-CE " + target + " " + shape + ": distill4j " + backend.name());
        checkAgainstScalar();
        for (int i = 0; i < Check.SETUP_WARMUP_CALLS; i++) call(backend, grad);
    }

    private void checkAgainstScalar() {
        ScalarBackend ref = new ScalarBackend();
        float[] refGrad = new float[grad.length];
        double want = call(ref, refGrad), got = call(backend, grad);
        if (!(Math.abs(got - want) <= LOSS_RTOL * Math.abs(want))) {
            throw new IllegalStateException(variant + " softmax-CE " + target + " " + shape + ": loss " + got
                    + ", scalar reference " + want);
        }
        for (int i = 0; i < grad.length; i++) {
            if (!(Math.abs(grad[i] - refGrad[i]) <= GRAD_ATOL + GRAD_RTOL * Math.abs(refGrad[i]))) {
                throw new IllegalStateException(variant + " softmax-CE " + target + " " + shape + ": grad[" + i + "] = "
                        + grad[i] + ", scalar reference " + refGrad[i]);
            }
        }
    }

    private double call(Backend b, float[] g) {
        return "hard".equals(target)
                ? b.softmax().softmaxCrossEntropyHard(logits, labels, g, rows, cols, temperature, gradScale)
                : b.softmax().softmaxCrossEntropySoft(logits, targets, g, rows, cols, temperature, gradScale);
    }

    @Benchmark
    public double softmaxCrossEntropy() {
        if (backend == null) {
            if (copySrc == null) {
                SimdExp.expArray(logits, grad, rows * cols);
                return grad[0];
            }
            System.arraycopy(copySrc, 0, copyDst, 0, copySrc.length);
            return copyDst[0];
        }
        return call(backend, grad);
    }
}
