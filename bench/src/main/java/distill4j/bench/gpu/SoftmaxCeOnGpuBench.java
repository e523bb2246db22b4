package distill4j.bench.gpu;

import distill4j.bench.Variants;
import distill4j.cuda.CudaDevice;
import distill4j.cuda.DeviceBuffer;
import distill4j.cuda.softmax.CudaSoftmax;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Fused softmax-with-temperature + cross-entropy, loss and gradient, device-resident ({@code cuda}:
 * {@link CudaSoftmax#crossEntropyHard}/{@code Soft} on {@link DeviceBuffer}s, the per-row losses left on
 * the device) beside the SIMD backend on host arrays, in one run. Same shapes, targets and byte counts
 * as {@link distill4j.bench.SoftmaxCrossEntropyBench} (hard 8·R·C + 4·R bytes, soft 12·R·C; GB/s by
 * bench/report.py). One timed invocation is {@value #CALLS} calls and, on the GPU, one synchronisation.
 * The setup checks the loss and gradient against the scalar reference. Needs a GPU for {@code cuda}
 * (run by cuda/gpu-check.sh); without one its setup throws, saying why.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SoftmaxCeOnGpuBench.CALLS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SoftmaxCeOnGpuBench {
    public static final int CALLS = 8;
    /** As SoftmaxCrossEntropyBench: loss within LOSS_RTOL, gradient within GRAD_ATOL + GRAD_RTOL·|ref|. */
    static final double LOSS_RTOL = 1e-4, GRAD_ATOL = 1e-6, GRAD_RTOL = 1e-3;

    /** "cuda" (device-resident) or a distill4j CPU backend ("simd"). */
    @Param({"cuda", "simd"})
    public String variant;

    @Param({"128x10", "128x1000", "4096x120"})
    public String shape;

    @Param({"hard", "soft"})
    public String target;

    /** Threads of the CPU backend; the GPU ignores it. */
    @Param({"1"})
    public int threads;

    private int rows, cols;
    private float temperature, gradScale;
    private float[] logits, targets, grad;
    private int[] labels;
    private Backend backend;
    private CudaDevice device;
    private CudaSoftmax softmax;
    private DeviceBuffer dLogits, dTargets, dLabels, dGrad, dLoss;

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
        float[] teacher = new float[rows * cols];
        for (int i = 0; i < teacher.length; i++) teacher[i] = (float) (rnd.nextGaussian() * 3);
        targets = new float[rows * cols];
        ScalarBackend ref = new ScalarBackend();
        ref.softmax().softmaxForward(teacher, targets, rows, cols, temperature);
        grad = new float[rows * cols];
        float[] refGrad = new float[grad.length];
        double want = hard ? ref.softmax().softmaxCrossEntropyHard(logits, labels, refGrad, rows, cols, temperature, gradScale)
                : ref.softmax().softmaxCrossEntropySoft(logits, targets, refGrad, rows, cols, temperature, gradScale);
        double got;
        if ("cuda".equals(variant)) {
            device = GpuBench.device();
            softmax = new CudaSoftmax(device);
            dLogits = GpuBench.upload(device, logits);
            dTargets = GpuBench.upload(device, targets);
            dLabels = device.allocate((long) rows * Integer.BYTES);
            dLabels.copyFrom(labels, rows);
            dGrad = device.allocateFloats(grad.length);
            dLoss = device.allocate((long) rows * Double.BYTES);
            callDevice();
            device.synchronize();
            dGrad.copyTo(grad, grad.length);
            double[] rowLoss = new double[rows];
            dLoss.copyTo(rowLoss, rows);
            got = 0;
            for (double l : rowLoss) got += l; // the host form's loss: the sum over rows
            System.out.println("# softmax-CE " + target + " " + shape + ": distill4j cuda, device-resident, on " + device);
        } else {
            backend = Variants.backend(variant, threads);
            got = callHost();
            System.out.println("# softmax-CE " + target + " " + shape + ": distill4j " + backend.name());
        }
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
        if (backend != null) for (int i = 0; i < distill4j.bench.Check.SETUP_WARMUP_CALLS; i++) callHost();
    }

    private void callDevice() {
        if ("hard".equals(target)) softmax.crossEntropyHard(dLogits, dLabels, dGrad, dLoss, rows, cols, temperature, gradScale);
        else softmax.crossEntropySoft(dLogits, dTargets, dGrad, dLoss, rows, cols, temperature, gradScale);
    }

    private double callHost() {
        return "hard".equals(target)
                ? backend.softmax().softmaxCrossEntropyHard(logits, labels, grad, rows, cols, temperature, gradScale)
                : backend.softmax().softmaxCrossEntropySoft(logits, targets, grad, rows, cols, temperature, gradScale);
    }

    @Benchmark
    public double softmaxCrossEntropy() {
        if (softmax != null) {
            device.makeCurrent(); // JMH may call from another thread than the setup's
            for (int i = 0; i < CALLS; i++) callDevice();
            device.synchronize();
            return 0;
        }
        double s = 0;
        for (int i = 0; i < CALLS; i++) s += callHost();
        return s;
    }

    @TearDown
    public void tearDown() {
        for (DeviceBuffer b : new DeviceBuffer[] {dLogits, dTargets, dLabels, dGrad, dLoss}) if (b != null) b.close();
    }
}
