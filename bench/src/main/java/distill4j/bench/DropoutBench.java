package distill4j.bench;

import distill4j.kernels.Backend;
import distill4j.kernels.ScalarBackend;
import distill4j.kernels.dropout.Philox;
import distill4j.kernels.dropout.SimdDropout;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Philox dropout over n floats (p = 0.5): forward y = x·keep/(1 − p), backward dx = dy·keep/(1 − p),
 * the mask recomputed from (seed, step, index) each call. GB/s of compulsory traffic: read n floats,
 * write n floats = 8·n bytes. The peer, variant "copy", is System.arraycopy of the same n floats
 * (also 8·n bytes read + written). The peer "philox" is {@link SimdDropout#keepCount}: the SIMD kernel's
 * own code making the same mask stream (same seed, step, indices, pool chunks above the same threshold)
 * with no data read or written, the floor under the kernel's time; the same call for either pass (the
 * backward recomputes the forward's mask). bench/report.py computes GB/s from the time per call (8·n bytes
 * for every variant, so the GB/s ratio is the inverse ratio of times).
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

    /** A distill4j backend name, "copy", or "philox". */
    @Param({"simd", "copy", "philox"})
    public String variant;

    @Param({"1048576"})
    public int n;

    @Param({"forward", "backward"})
    public String pass;

    /** Threads of the distill4j backend and of the philox peer (the SIMD pool); the copy peer is one thread. */
    @Param({"1"})
    public int threads;

    private Backend backend;
    private float[] x, y;
    private long step;
    private boolean philox;

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
        if (Variants.PHILOX.equals(variant)) {
            Variants.backend("simd", threads); // sizes the SIMD pool that keepCount runs on
            philox = true;
            System.out.println("# dropout " + pass + " n=" + n + ": SimdDropout.keepCount (mask only), threads " + threads);
            int want = 0;
            for (int i = 0; i < n; i++) if (Philox.keep(SEED, 7, i, P)) want++;
            int got = SimdDropout.keepCount(n, P, SEED, 7, 0);
            if (got != want) {
                throw new IllegalStateException("philox keepCount: " + got + " kept, Philox.keep keeps " + want
                        + " (seed " + SEED + ", step 7, n " + n + ")");
            }
            for (int i = 0; i < Check.SETUP_WARMUP_CALLS; i++) SimdDropout.keepCount(n, P, SEED, i, 0);
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
    public void dropout(Blackhole bh) {
        if (philox) {
            bh.consume(SimdDropout.keepCount(n, P, SEED, step++, 0));
        } else if (backend == null) {
            System.arraycopy(x, 0, y, 0, n);
            bh.consume(y);
        } else {
            call(backend, y, step++);
            bh.consume(y);
        }
    }
}
