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
 * The numbered SIMD dropout kernels ({@link DropoutVariants}: v1 gather, v2 permute, v3 permute in
 * pairs, the shipped one) against each other, forward, p = 0.5, one thread, over n floats. GB/s of
 * compulsory traffic = 8·n bytes per call (bench/report.py); {@code DropoutBench}'s "copy" variant is
 * the peer. Every version runs in its own forked JVMs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DropoutVariantBench {
    static final float P = 0.5f;
    static final long SEED = 42;

    @Param({"1", "2", "3"})
    public int version;

    @Param({"1048576"})
    public int n;

    private float[] x, y;
    private long step;

    @Setup
    public void setup() {
        Random rnd = new Random(21);
        x = new float[n];
        y = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() - 0.5f;
        // the mask must be the scalar reference's, bit for bit, before it is timed
        float[] want = new float[n];
        new ScalarBackend().dropout().dropoutForward(x, want, n, P, SEED, 7, 0);
        DropoutVariants.forward(version, x, y, n, P, SEED, 7, 0);
        for (int i = 0; i < n; i++) {
            if (Float.floatToRawIntBits(y[i]) != Float.floatToRawIntBits(want[i])) {
                throw new IllegalStateException("dropout v" + version + ": y[" + i + "] = " + y[i] + ", reference " + want[i]);
            }
        }
    }

    @Benchmark
    public float[] forward() {
        DropoutVariants.forward(version, x, y, n, P, SEED, step++, 0);
        return y;
    }
}
