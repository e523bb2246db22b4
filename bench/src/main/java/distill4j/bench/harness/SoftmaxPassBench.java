package distill4j.bench.harness;

import distill4j.kernels.simd.SimdParams;
import distill4j.kernels.simd.LaneSums;
import distill4j.kernels.simd.SimdExp;
import distill4j.kernels.softmax.SimdSoftmax;
import java.util.Random;

/**
 * Development harness (not a test): time per element of each pass of the fused softmax-CE, one
 * thread, and the bytes one hard-label call allocates, for each shape given (ROWSxCOLS, in that
 * order; default 4096x120 128x1000 128x10). The order matters: the JIT compiles the kernels for the
 * shapes it has seen, so {@code 128x10 128x1000} measures what a process that starts with narrow
 * rows gets later on wide ones (see {@code SimdExp.expRow}). Run after
 * {@code mvn -q -B -DskipTests test-compile -pl kernels}:
 * java --add-modules jdk.incubator.vector -cp bench/target/classes:kernels/target/classes
 *      distill4j.bench.harness.SoftmaxPassBench 128x10 128x1000
 */
public final class SoftmaxPassBench {
    static double sink;

    static int[][] parse(String[] args) {
        int[][] s = new int[args.length][];
        for (int i = 0; i < args.length; i++) {
            String[] rc = args[i].split("x");
            s[i] = new int[] {Integer.parseInt(rc[0]), Integer.parseInt(rc[1])};
        }
        return s;
    }

    public static void main(String[] args) {
        Random rnd = new Random(1);
        int[][] shapes = args.length > 0 ? parse(args) : new int[][] {{4096, 120}, {128, 1000}, {128, 10}};
        System.out.printf("java %s, lanes %d%n", System.getProperty("java.version"), SimdParams.LANES);
        for (int[] s : shapes) {
            int rows = s[0], cols = s[1], m = rows * cols;
            float[] z = new float[m], g = new float[m], p = new float[m];
            int[] labels = new int[rows];
            for (int i = 0; i < m; i++) z[i] = (float) rnd.nextGaussian() * 3f;
            for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(cols);
            new SimdSoftmax().softmaxForward(z, p, rows, cols, 4f);
            float[] maxes = new float[rows];
            for (int r = 0; r < rows; r++) maxes[r] = SimdSoftmax.rowMax(z, r * cols, cols);
            System.out.printf("%dx%d ns/elem: max %.3f, exp+store %.3f, scale %.3f, hard %.3f, soft %.3f, copy %.3f%n", rows, cols,
                    SimdKernelsBench.nsPer(() -> {
                        float a = 0;
                        for (int r = 0; r < rows; r++) a += SimdSoftmax.rowMax(z, r * cols, cols);
                        sink += a;
                    }, m),
                    SimdKernelsBench.nsPer(() -> {
                        double a = 0;
                        for (int r = 0; r < rows; r++) a += SimdSoftmax.expShiftedInto(z, g, r * cols, cols, maxes[r], 1f, LaneSums.floats());
                        sink += a;
                    }, m),
                    SimdKernelsBench.nsPer(() -> {
                        for (int r = 0; r < rows; r++) SimdSoftmax.scaleRow(g, r * cols, cols, 0.999f);
                    }, m),
                    SimdKernelsBench.nsPer(() -> sink += new SimdSoftmax().softmaxCrossEntropyHard(z, labels, g, rows, cols, 1f, 1f / rows), m),
                    SimdKernelsBench.nsPer(() -> sink += new SimdSoftmax().softmaxCrossEntropySoft(z, p, g, rows, cols, 4f, 1f / rows), m),
                    SimdKernelsBench.nsPer(() -> System.arraycopy(z, 0, g, 0, m), m));
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long a0 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100; i++) sink += new SimdSoftmax().softmaxCrossEntropyHard(z, labels, g, rows, cols, 1f, 1f / rows);
            long a1 = mx.getCurrentThreadAllocatedBytes();
            System.out.printf("  hard kernel allocates %d bytes per call%n", (a1 - a0) / 100);
        }
    }
}
