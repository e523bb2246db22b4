package distill4j.bench.harness;

import distill4j.kernels.simd.SimdBackend;
import distill4j.kernels.simd.SimdParams;
import distill4j.kernels.gemm.SimdGemm;
import distill4j.kernels.gemm.GemmLayout;
import java.util.Random;

/**
 * Development harness (not a test, not the JMH suite): GFLOP/s of {@link SimdGemm} at the MLP shapes.
 * Run: java --add-modules jdk.incubator.vector -cp bench/target/classes:kernels/target/classes
 *      [-Ddistill4j.threads=1] distill4j.bench.harness.SimdGemmBench [seconds]
 * (The numbered micro-kernels against each other: JMH {@code distill4j.bench.variants.GemmMicroKernelBench}.)
 */
public final class SimdGemmBench {
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        Object[][] shapes = {
            {GemmLayout.NN, 128, 1200, 784, "(128x784)·(784x1200)"},
            {GemmLayout.NN, 128, 1200, 1200, "(128x1200)·(1200x1200)"},
            {GemmLayout.NT, 128, 1200, 1200, "(128x1200)·(1200x1200)ᵀ"},
            {GemmLayout.TN, 1200, 1200, 128, "(1200x128)ᵀ·(128x1200)"},
            {GemmLayout.TN, 784, 1200, 128, "(784x128)ᵀ·(128x1200)"},
            // the 10-class output layer: forward, weight gradient, input gradient
            {GemmLayout.NT, 128, 10, 1200, "(128x1200)·(10x1200)ᵀ"},
            {GemmLayout.TN, 10, 1200, 128, "(128x10)ᵀ·(128x1200)"},
            {GemmLayout.NN, 128, 1200, 10, "(128x10)·(10x1200)"},
        };
        System.out.printf("java %s, micro-kernel %dx%d, KC=%d MC=%d NC=%d, threads=%d, lanes=%d%n",
                System.getProperty("java.version"), SimdParams.MR, SimdParams.NR,
                SimdParams.KC, SimdParams.MC, SimdParams.NC, SimdBackend.threads(), SimdParams.LANES);
        SimdGemm gemm = new SimdGemm();
        Random rnd = new Random(1);
        for (int pass = 0; pass < 2; pass++) {
        for (Object[] s : shapes) {
            GemmLayout layout = (GemmLayout) s[0];
            int m = (Integer) s[1], n = (Integer) s[2], k = (Integer) s[3];
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
            double flops = 2.0 * m * n * k;
            // warm-up
            long end = System.nanoTime() + (long) (seconds * 0.5e9);
            while (System.nanoTime() < end) gemm.gemm(layout, m, n, k, a, b, c, false);
            double best = 0;
            for (int rep = 0; rep < 5; rep++) {
                int iters = 0;
                long t0 = System.nanoTime();
                long stop = t0 + (long) (seconds * 0.2e9);
                long t;
                do {
                    gemm.gemm(layout, m, n, k, a, b, c, false);
                    iters++;
                } while ((t = System.nanoTime()) < stop);
                best = Math.max(best, flops * iters / (t - t0));
            }
            if (pass == 1) System.out.printf("%-28s %-3s %7.1f GFLOP/s%n", s[4], layout, best);
        }
        }
    }
}
