package distill4j.bench;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * SGEMM C = op(A)·op(B) (overwrite, α = 1, β = 0) through a distill4j backend or a peer library, on the
 * same float[] arrays. Time per call; GFLOP/s = 2·M·N·K / time is computed by bench/report.py.
 *
 * <p>Shapes ({@code LAYOUT-MxNxK}): squares 256…2048, and the five GEMMs of training a 784-1200-1200-10
 * MLP at batch 128 as listed in the issue. {@code threads} sizes the backend's pool
 * ({@code -Ddistill4j.threads}), OpenBLAS (openblas_set_num_threads) and EJML (its _MT_ ops); every
 * (variant, threads, shape) runs in its own forked JVMs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBench {

    /** A distill4j backend name ("simd", "scalar", ...) or a peer ("openblas", "ejml"). */
    @Param({"simd", "openblas", "ejml"})
    public String variant;

    @Param({"1", "2"})
    public int threads;

    @Param({"NN-256x256x256", "NN-512x512x512", "NN-1024x1024x1024", "NN-2048x2048x2048",
            "NN-128x1200x784", "NN-128x1200x1200", "NT-128x1200x1200", "TN-1200x1200x128", "TN-784x1200x128"})
    public String shape;

    private Sgemm impl;
    private GemmShape s;
    private float[] a, b, c;

    @Setup
    public void setup() {
        s = GemmShape.parse(shape);
        impl = Variants.sgemm(variant, threads);
        System.out.println("# gemm " + shape + ": " + impl.describe());
        a = Check.uniform(s.aLength(), 1);
        b = Check.uniform(s.bLength(), 2);
        c = new float[s.cLength()];
        impl.gemm(s.layout(), s.m(), s.n(), s.k(), a, b, c, false);
        Check.gemm(variant, s, a, b, c, 3);
    }

    @Benchmark
    public float[] gemm() {
        impl.gemm(s.layout(), s.m(), s.n(), s.k(), a, b, c, false);
        return c;
    }

    @TearDown
    public void tearDown() {
        impl.close();
    }
}
