package distill4j.bench.variants;

import distill4j.kernels.ScalarBackend;
import java.util.Random;
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
 * The row-tail versions of the fused softmax-CE ({@link SoftmaxTailVariants}: scalar, overlapped — the
 * shipped one — and masked tails) against each other, forward + gradient, one thread. Time per call;
 * GB/s of compulsory traffic as {@code SoftmaxCrossEntropyBench} (hard 8·R·C + 4·R bytes, soft 12·R·C).
 * Every (tails, shape, target) runs in its own forked JVMs, whose first act is to set the switches
 * that {@link SoftmaxTailVariants} reads at class initialisation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SoftmaxTailBench {

    /** "scalar", "overlap" (shipped) or "masked". */
    @Param({"scalar", "overlap", "masked"})
    public String tails;

    @Param({"128x10", "128x1000", "4096x120"})
    public String shape;

    @Param({"hard", "soft"})
    public String target;

    private int rows, cols;
    private float[] z, p, grad;
    private int[] labels;

    @Setup
    public void setup() {
        switch (tails) {
            case "scalar" -> set(false, false);
            case "overlap" -> set(false, true);
            case "masked" -> set(true, false);
            default -> throw new IllegalArgumentException("tails must be scalar, overlap or masked, got " + tails);
        }
        String[] rc = shape.split("x");
        rows = Integer.parseInt(rc[0]);
        cols = Integer.parseInt(rc[1]);
        Random rnd = new Random(3);
        z = new float[rows * cols];
        p = new float[rows * cols];
        grad = new float[rows * cols];
        labels = new int[rows];
        for (int i = 0; i < z.length; i++) z[i] = (float) rnd.nextGaussian() * 3f;
        for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(cols);
        ScalarBackend ref = new ScalarBackend();
        ref.softmax().softmaxForward(z, p, rows, cols, 4f);
        float[] want = new float[z.length];
        double wantLoss = "hard".equals(target)
                ? ref.softmax().softmaxCrossEntropyHard(z, labels, want, rows, cols, 1f, 1f / rows)
                : ref.softmax().softmaxCrossEntropySoft(z, p, want, rows, cols, 4f, 1f / rows);
        double loss = call();
        if (!(Math.abs(loss - wantLoss) <= 1e-4 * Math.abs(wantLoss))) {
            throw new IllegalStateException(tails + " tails " + shape + " " + target + ": loss " + loss + ", reference " + wantLoss);
        }
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(grad[i] - want[i]) <= 1e-6 + 1e-3 * Math.abs(want[i]))) {
                throw new IllegalStateException(tails + " tails: grad[" + i + "] = " + grad[i] + ", reference " + want[i]);
            }
        }
    }

    private static void set(boolean masked, boolean overlap) {
        System.setProperty("distill4j.softmax.maskedTails", String.valueOf(masked));
        System.setProperty("distill4j.softmax.overlapTails", String.valueOf(overlap));
    }

    private double call() {
        return "hard".equals(target)
                ? SoftmaxTailVariants.softmaxCrossEntropyHard(z, labels, grad, rows, cols, 1f, 1f / rows)
                : SoftmaxTailVariants.softmaxCrossEntropySoft(z, p, grad, rows, cols, 4f, 1f / rows);
    }

    @Benchmark
    public double lossAndGradient() {
        return call();
    }
}
