package distill4j.bench.gpu;

import distill4j.bench.Check;
import distill4j.bench.GemmShape;
import distill4j.bench.Sgemm;
import distill4j.bench.Variants;
import distill4j.cuda.CudaDevice;
import distill4j.cuda.DeviceBuffer;
import distill4j.cuda.gemm.CudaGemm;
import jcuda.driver.CUdeviceptr;
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
 * SGEMM C = op(A)·op(B) (α = 1, β = 0) on the GPU: distill4j's own CUDA kernel ({@code cuda},
 * {@link CudaGemm#gemmF32} on {@link DeviceBuffer}s) against cuBLAS ({@code cublas}, {@link CublasSgemm}),
 * with the SIMD backend on host arrays ({@code simd}) in the same run. Time per call; GFLOP/s =
 * 2·M·N·K / time (bench/report.py).
 *
 * <p>Device-resident: A, B and C are copied to the device once in setup; the timed call launches
 * {@value #CALLS} GEMMs and waits for them (one cuCtxSynchronize), so the time is the kernels' (plus
 * one launch each), not the queue's and not a copy's. The SIMD variant runs the same {@value #CALLS}
 * calls on the host. Every setup checks C against a float64 dot product first ({@link Check#gemm}).
 *
 * <p>Needs a GPU, and for {@code cublas} libcublas.so.12: run by cuda/gpu-check.sh with the cuda module
 * and the JCuda jars on the class path (benchmarks.jar alone carries neither). Without them the setup
 * throws, saying why, and JMH reports that benchmark as failed; bench/run.sh never selects it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(SgemmOnGpuBench.CALLS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SgemmOnGpuBench {
    /** GEMMs per timed invocation: one synchronisation amortised over them. */
    public static final int CALLS = 8;

    /** "cuda" (distill4j's kernel), "cublas" (the peer) or a distill4j CPU backend ("simd"). */
    @Param({"cuda", "cublas", "simd"})
    public String variant;

    /** Threads of the CPU backend (gpu-check.sh passes the machine's cores); the GPU variants ignore it. */
    @Param({"1"})
    public int threads;

    /** The training GEMMs of the 784-1200-1200-10 MLP at batch 128 (as GemmBench), and a large square. */
    @Param({"NN-128x1200x784", "NN-128x1200x1200", "NT-128x1200x1200", "TN-1200x1200x128", "TN-784x1200x128",
            "NN-4096x4096x4096"})
    public String shape;

    private GemmShape s;
    private CudaDevice device;
    private CudaGemm gemm;
    private DeviceBuffer a, b, c;
    private CublasSgemm cublas;
    private CUdeviceptr pa, pb, pc;
    private Sgemm cpu;
    private float[] ha, hb, hc;

    @Setup
    public void setup() {
        s = GemmShape.parse(shape);
        ha = Check.uniform(s.aLength(), 1);
        hb = Check.uniform(s.bLength(), 2);
        hc = new float[s.cLength()];
        switch (variant) {
            case "cuda" -> {
                device = GpuBench.device();
                gemm = new CudaGemm(device);
                a = GpuBench.upload(device, ha);
                b = GpuBench.upload(device, hb);
                c = device.allocateFloats(s.cLength());
                call();
                c.copyTo(hc, hc.length);
                System.out.println("# gemm " + shape + ": distill4j cuda on " + device);
            }
            case "cublas" -> {
                device = GpuBench.device();
                try {
                    cublas = new CublasSgemm(device);
                } catch (Throwable t) {
                    throw new IllegalStateException("cublas peer skipped: JCublas2 cannot open cuBLAS (it needs "
                            + "libcublas.so.12 and libcublasLt.so.12 of CUDA 12 on the library path): " + t, t);
                }
                pa = cublas.upload(ha);
                pb = cublas.upload(hb);
                pc = cublas.upload(hc);
                call();
                cublas.download(pc, hc);
                System.out.println("# gemm " + shape + ": cuBLAS " + cublas.version() + " on " + device);
            }
            default -> {
                cpu = Variants.sgemm(variant, threads);
                call();
                System.out.println("# gemm " + shape + ": " + cpu.describe());
            }
        }
        Check.gemm(variant, s, ha, hb, hc, 3);
    }

    private void call() {
        if (gemm != null) {
            device.makeCurrent(); // JMH may call from another thread than the setup's
            gemm.gemmF32(s.layout(), s.m(), s.n(), s.k(), a, b, c, false);
            device.synchronize();
        } else if (cublas != null) {
            cublas.gemm(s.layout(), s.m(), s.n(), s.k(), pa, pb, pc);
            device.synchronize();
        } else {
            cpu.gemm(s.layout(), s.m(), s.n(), s.k(), ha, hb, hc, false);
        }
    }

    @Benchmark
    public void gemm() {
        if (gemm != null) {
            device.makeCurrent();
            for (int i = 0; i < CALLS; i++) gemm.gemmF32(s.layout(), s.m(), s.n(), s.k(), a, b, c, false);
            device.synchronize();
        } else if (cublas != null) {
            for (int i = 0; i < CALLS; i++) cublas.gemm(s.layout(), s.m(), s.n(), s.k(), pa, pb, pc);
            device.synchronize();
        } else {
            for (int i = 0; i < CALLS; i++) cpu.gemm(s.layout(), s.m(), s.n(), s.k(), ha, hb, hc, false);
        }
    }

    @TearDown
    public void tearDown() {
        if (a != null) { a.close(); b.close(); c.close(); }
        if (cublas != null) {
            cublas.free(pa);
            cublas.free(pb);
            cublas.free(pc);
            cublas.close();
        }
        if (cpu != null) cpu.close();
    }
}
