package distill4j.bench;

import distill4j.kernels.Backend;
import distill4j.kernels.ScalarBackend;
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
 * Philox dropout over n floats (p = 0.5): forward y = x·keep/(1 − p), backward dx = dy·keep/(1 − p),
 * the mask recomputed from (seed, step, index) each call. GB/s of compulsory traffic: read n floats,
 * write n floats = 8·n bytes. The peer, variant "copy", is System.arraycopy of the same n floats
 * (also 8·n bytes read + written). bench/report.py computes GB/s from the time per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DropoutBench {
    static final float P = 0.5f;
    static final long SEED = 42;
    /** Dropout output must match the scalar reference: same mask, same scale, up to one rounding. */
    static final double RTOL = 1e-6;

    /** A distill4j backend name, or "copy". */
    @Param({"simd", "copy"})
    public String variant;

    @Param({"1048576"})
    public int n;

    @Param({"forward", "backward"})
    public String pass;

    /** Threads of the distill4j backend (the copy peer is one thread). */
    @Param({"1"})
    public int threads;

    private Backend backend;
    private float[] x, y;
    private long step;

    @Setup
    public void setup() {
        if (!"forward".equals(pass) && !"backward".equals(pass)) {
            throw new IllegalArgumentException("dropout pass must be forward or backward, got " + pass);
        }
        x = Check.uniform(n, 21);
        y = new float[n];
        if (Variants.COPY.equals(variant)) {
            System.out.println("# dropout " + pass + " n=" + n + ": System.arraycopy");
            return;
        }
        backend = Variants.backend(variant, threads);
        System.out.println("# dropout " + pass + " n=" + n + ": distill4j " + backend.name());
        float[] want = new float[n];
        call(new ScalarBackend(), want, 7);
        call(backend, y, 7);
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(y[i] - want[i]) <= RTOL * Math.abs(want[i]))) {
                throw new IllegalStateException(variant + " dropout " + pass + ": y[" + i + "] = " + y[i]
                        + ", scalar reference " + want[i] + " (seed " + SEED + ", step 7)");
            }
        }
        for (int i = 0; i < Check.SETUP_WARMUP_CALLS; i++) call(backend, y, i);
    }

    private void call(Backend b, float[] out, long s) {
        if ("forward".equals(pass)) b.dropout().dropoutForward(x, out, n, P, SEED, s, 0);
        else b.dropout().dropoutBackward(x, out, n, P, SEED, s, 0, false);
    }

    @Benchmark
    public float[] dropout() {
        if (backend == null) {
            System.arraycopy(x, 0, y, 0, n);
        } else {
            call(backend, y, step++);
        }
        return y;
    }
}
