package distill4j.bench.variants;

import distill4j.bench.GemmShape;
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
 * The numbered GEMM micro-kernels ({@link GemmMicroKernels}, v1 … v9) against each other, one thread,
 * each inside the library's packing ({@link PackedGemm}), at the MLP's GEMM shapes; the shipped
 * kernels are v1 (512 bits) and v6 (below); {@code -p kcSlices=balanced,plain} adds the unbalanced KC
 * slices. Time per call; GFLOP/s = 2·M·N·K / time (bench/report.py).
 * Every (version, shape) runs in its own forked JVMs, so C2 sees one micro-kernel per JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmMicroKernelBench {

    @Param({"1", "2", "3", "4", "5", "6", "7", "8", "9"})
    public int version;

    @Param({"NN-128x1200x784", "NN-128x1200x1200", "NT-128x1200x1200", "TN-1200x1200x128", "TN-784x1200x128"})
    public String shape;

    /** KC slices: "balanced" (shipped: 784 → 4 × 196) or "plain" (784 → 3 × 256 + 16). */
    @Param({"balanced"})
    public String kcSlices;

    private PackedGemm gemm;
    private GemmShape s;
    private float[] a, b, c;

    @Setup
    public void setup() {
        s = GemmShape.parse(shape);
        if (!"balanced".equals(kcSlices) && !"plain".equals(kcSlices)) {
            throw new IllegalArgumentException("kcSlices must be balanced or plain, got " + kcSlices);
        }
        gemm = new PackedGemm(version, "balanced".equals(kcSlices));
        Random rnd = new Random(1);
        a = new float[s.aLength()];
        b = new float[s.bLength()];
        c = new float[s.cLength()];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
        // the product must be the scalar reference's within float32 rounding before it is timed
        float[] want = new float[c.length];
        new ScalarBackend().gemm().gemm(s.layout(), s.m(), s.n(), s.k(), a, b, want, false);
        gemm.gemm(s.layout(), s.m(), s.n(), s.k(), a, b, c, false);
        for (int i = 0; i < c.length; i++) {
            if (!(Math.abs(c[i] - want[i]) <= 1e-3f * (1f + Math.abs(want[i])))) {
                throw new IllegalStateException("micro-kernel v" + version + " " + shape + ": c[" + i + "] = " + c[i]
                        + ", reference " + want[i]);
            }
        }
    }

    @Benchmark
    public float[] gemm() {
        gemm.gemm(s.layout(), s.m(), s.n(), s.k(), a, b, c, false);
        return c;
    }
}
