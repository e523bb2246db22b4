package distill4j.bench.gpu;

import distill4j.bench.Check;
import distill4j.bench.Variants;
import distill4j.cuda.CudaDevice;
import distill4j.cuda.DeviceBuffer;
import distill4j.cuda.dropout.CudaDropout;
import distill4j.kernels.Backend;
import distill4j.kernels.ScalarBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Philox dropout (p = 0.5) over n floats, forward or backward (mask recomputed), device-resident
 * ({@code cuda}: {@link CudaDropout} on {@link DeviceBuffer}s) beside the SIMD backend on host arrays,
 * in one run; GB/s = 8·n / time (bench/report.py), as {@link distill4j.bench.DropoutBench}. One timed
 * invocation is {@value #CALLS} calls (new step numbers) and, on the GPU, one synchronisation. The
 * setup requires the output to match the scalar reference (same mask). Needs a GPU for {@code cuda}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(DropoutOnGpuBench.CALLS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DropoutOnGpuBench {
    public static final int CALLS = 8;
    static final float P = 0.5f;
    static final long SEED = 42;
    /** Same mask, same scale: up to one rounding (the GPU may contract differently). */
    static final double RTOL = 1e-6;

    @Param({"cuda", "simd"})
    public String variant;

    /** 2²⁰ as DropoutBench, and 2²⁶ (256 MiB in, 256 MiB out) where a GPU reaches its bandwidth. */
    @Param({"1048576", "67108864"})
    public int n;

    @Param({"forward", "backward"})
    public String pass;

    /** Threads of the CPU backend; the GPU ignores it. */
    @Param({"1"})
    public int threads;

    private float[] x, y;
    private long step;
    private Backend backend;
    private CudaDevice device;
    private CudaDropout dropout;
    private DeviceBuffer dx, dy;

    @Setup
    public void setup() {
        if (!"forward".equals(pass) && !"backward".equals(pass)) {
            throw new IllegalArgumentException("dropout pass must be forward or backward, got " + pass);
        }
        x = Check.uniform(n, 21);
        y = new float[n];
        float[] want = new float[n];
        ScalarBackend ref = new ScalarBackend();
        if ("forward".equals(pass)) ref.dropout().dropoutForward(x, want, n, P, SEED, 7, 0);
        else ref.dropout().dropoutBackward(x, want, n, P, SEED, 7, 0, false);
        if ("cuda".equals(variant)) {
            device = GpuBench.device();
            dropout = new CudaDropout(device);
            dx = GpuBench.upload(device, x);
            dy = device.allocateFloats(n);
            callDevice(7);
            dy.copyTo(y, n);
            System.out.println("# dropout " + pass + " n=" + n + ": distill4j cuda, device-resident, on " + device);
        } else {
            backend = Variants.backend(variant, threads);
            callHost(7);
            System.out.println("# dropout " + pass + " n=" + n + ": distill4j " + backend.name());
        }
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(y[i] - want[i]) <= RTOL * Math.abs(want[i]))) {
                throw new IllegalStateException(variant + " dropout " + pass + ": y[" + i + "] = " + y[i]
                        + ", scalar reference " + want[i] + " (seed " + SEED + ", step 7)");
            }
        }
        if (backend != null) for (int i = 0; i < Check.SETUP_WARMUP_CALLS; i++) callHost(i);
    }

    private void callDevice(long s) {
        if ("forward".equals(pass)) dropout.dropoutForward(dx, dy, n, P, SEED, s, 0);
        else dropout.dropoutBackward(dx, dy, n, P, SEED, s, 0, false);
    }

    private void callHost(long s) {
        if ("forward".equals(pass)) backend.dropout().dropoutForward(x, y, n, P, SEED, s, 0);
        else backend.dropout().dropoutBackward(x, y, n, P, SEED, s, 0, false);
    }

    @Benchmark
    public void dropout() {
        if (dropout != null) {
            device.makeCurrent(); // JMH may call from another thread than the setup's
            for (int i = 0; i < CALLS; i++) callDevice(step++);
            device.synchronize();
        } else {
            for (int i = 0; i < CALLS; i++) callHost(step++);
        }
    }

    @TearDown
    public void tearDown() {
        if (dx != null) { dx.close(); dy.close(); }
    }
}
