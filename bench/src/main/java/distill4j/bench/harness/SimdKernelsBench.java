package distill4j.bench.harness;

import distill4j.kernels.simd.SimdParams;
import distill4j.kernels.simd.SimdBackend;
import distill4j.kernels.Backend;
import distill4j.kernels.dropout.Philox;
import distill4j.kernels.ScalarBackend;
import java.util.Random;

/**
 * Development harness (not a test): dropout and the fused loss, SIMD against the scalar reference and,
 * for dropout, against a scalar Philox that uses all four words of each block (the fair scalar peer).
 * Run: java --add-modules jdk.incubator.vector -cp bench/target/classes:kernels/target/classes
 *      distill4j.bench.harness.SimdKernelsBench
 */
public final class SimdKernelsBench {
    interface Op {
        void run();
    }

    static double nsPer(Op op, int elements) {
        for (int i = 0; i < 200; i++) op.run();
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 7; rep++) {
            int iters = 0;
            long t0 = System.nanoTime(), t;
            do {
                op.run();
                iters++;
            } while ((t = System.nanoTime()) - t0 < 100_000_000L);
            best = Math.min(best, (double) (t - t0) / iters / elements);
        }
        return best;
    }

    /** Scalar dropout that computes each Philox block once and uses its four words. */
    static void dropoutScalarBlocks(float[] x, float[] y, int n, float p, long seed, long step, int[] w) {
        float scale = 1f / (1f - p);
        int thr = (int) Math.ceil(p * 0x1p24);
        for (int i = 0; i < n; i += 4) {
            long block = i >>> 2;
            Philox.philox4x32_10((int) block, (int) (block >>> 32), (int) step, (int) (step >>> 32), (int) seed,
                    (int) (seed >>> 32), w);
            for (int l = 0; l < 4 && i + l < n; l++) y[i + l] = (w[l] >>> 8) >= thr ? x[i + l] * scale : 0f;
        }
    }

    public static void main(String[] args) {
        Backend scalar = new ScalarBackend(), simd = new SimdBackend();
        Random rnd = new Random(1);
        int n = 128 * 1200;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat();
        int[] w = new int[4];
        System.out.printf("java %s, lanes %d%n", System.getProperty("java.version"), SimdParams.LANES);
        System.out.printf("dropout 128x1200: scalar reference %.2f ns/elem, scalar 4-words-per-block %.2f, simd %.2f%n",
                nsPer(() -> scalar.dropout().dropoutForward(x, y, n, 0.5f, 7, 3, 0), n),
                nsPer(() -> dropoutScalarBlocks(x, y, n, 0.5f, 7, 3, w), n),
                nsPer(() -> simd.dropout().dropoutForward(x, y, n, 0.5f, 7, 3, 0), n));
        for (int cols : new int[] {10, 1000}) {
            int rows = 128, m = rows * cols;
            float[] z = new float[m], p = new float[m], g = new float[m];
            for (int i = 0; i < m; i++) z[i] = (float) rnd.nextGaussian() * 3f;
            scalar.softmax().softmaxForward(z.clone(), p, rows, cols, 20f);
            System.out.printf("softmaxCrossEntropySoft 128x%d T=20 with grad: scalar %.2f ns/elem, simd %.2f%n", cols,
                    nsPer(() -> scalar.softmax().softmaxCrossEntropySoft(z, p, g, rows, cols, 20f, 400f / rows), m),
                    nsPer(() -> simd.softmax().softmaxCrossEntropySoft(z, p, g, rows, cols, 20f, 400f / rows), m));
        }
        float[] a = new float[n], b2 = new float[n], v = new float[n], mm = new float[n];
        System.out.printf("adam 128x1200: scalar %.2f ns/elem, simd %.2f%n",
                nsPer(() -> scalar.optim().adamUpdate(n, a, x, mm, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 5), n),
                nsPer(() -> simd.optim().adamUpdate(n, a, x, mm, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 5), n));
        System.out.printf("biasBackward 128x1200: scalar %.2f ns/elem, simd %.2f%n",
                nsPer(() -> scalar.elementwise().biasBackward(x, b2, 128, 1200, false), n),
                nsPer(() -> simd.elementwise().biasBackward(x, b2, 128, 1200, false), n));
    }
}
