package distill4j.bench.harness;

import distill4j.cuda.CudaDevice;
import distill4j.cuda.DeviceBuffer;
import distill4j.cuda.gemm.CudaGemm;
import distill4j.cuda.softmax.CudaSoftmax;
import distill4j.cuda.elementwise.CudaElementwise;
import distill4j.cuda.optim.CudaOptim;
import distill4j.cuda.dropout.CudaDropout;
import distill4j.kernels.gemm.GemmLayout;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A plain benchmark of the CUDA kernels on device-resident buffers, run by cuda/gpu-check.sh on a real
 * GPU (a plain main, not a JMH benchmark). Prints one table: GEMM in GFLOP/s at the shapes of
 * the paper's MNIST MLPs (784-1200-1200-10, batch 128) and at 4096³; the fused softmax-cross-entropy
 * and dropout in GB/s of compulsory DRAM traffic. {@code --quick}: tiny sizes, one iteration (to check
 * the plumbing against the stand-in driver; its numbers mean nothing).
 */
public final class CudaBench {
    private CudaBench() {}

    public static void main(String[] args) {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        CudaDevice dev = CudaDevice.get();
        System.out.println("device: " + dev.name() + " (sm_" + dev.computeCapability() + ")" + (quick ? "  [--quick]" : ""));
        System.out.printf(Locale.ROOT, "%-26s %-22s %10s %12s%n", "kernel", "shape", "ms/call", "rate");
        CudaGemm gemm = new CudaGemm(dev);
        int batch = 128, big = quick ? 128 : 4096;
        Object[][] gemms = {
            {"fc1 forward", GemmLayout.NT, batch, 1200, 784},
            {"fc2 forward", GemmLayout.NT, batch, 1200, 1200},
            {"fc3 forward", GemmLayout.NT, batch, 10, 1200},
            {"fc2 input grad", GemmLayout.NN, batch, 1200, 1200},
            {"fc1 weight grad", GemmLayout.TN, 1200, 784, batch},
            {"square NN", GemmLayout.NN, big, big, big},
            {"square NT", GemmLayout.NT, big, big, big},
            {"square TN", GemmLayout.TN, big, big, big},
        };
        SplittableRandom r = new SplittableRandom(42);
        for (Object[] g : gemms) {
            GemmLayout layout = (GemmLayout) g[1];
            int m = (int) g[2], n = (int) g[3], k = (int) g[4];
            if (quick && (long) m * n * k > 128L * 1200 * 784) continue;
            try (DeviceBuffer a = random(dev, r, (long) m * k); DeviceBuffer b = random(dev, r, (long) k * n);
                 DeviceBuffer c = dev.allocateFloats((long) m * n)) {
                double s = time(dev, quick, () -> gemm.gemmF32(layout, m, n, k, a, b, c, false));
                row("gemm " + layout + " " + g[0], m + "x" + n + "x" + k, s, 2.0 * m * n * k / s / 1e9, "GFLOP/s");
            }
        }

        CudaSoftmax softmax = new CudaSoftmax(dev);
        int[][] losses = quick ? new int[][] {{256, 10}} : new int[][] {{65536, 10}, {8192, 1000}};
        for (int[] shape : losses) {
            int rows = shape[0], cols = shape[1];
            long n = (long) rows * cols;
            try (DeviceBuffer z = random(dev, r, n); DeviceBuffer p = dev.allocateFloats(n);
                 DeviceBuffer grad = dev.allocateFloats(n); DeviceBuffer loss = dev.allocate((long) rows * Double.BYTES)) {
                softmax.softmaxForward(z, p, rows, cols, 1f);
                double s = time(dev, quick, () -> softmax.crossEntropySoft(z, p, grad, loss, rows, cols, 4f, 1f));
                // reads z and p, writes grad and one double per row
                row("softmax xent soft T=4", rows + "x" + cols, s, (12.0 * n + 8.0 * rows) / s / 1e9, "GB/s");
            }
        }

        CudaDropout ew = new CudaDropout(dev);
        int n = quick ? 1 << 12 : 1 << 26;
        try (DeviceBuffer x = random(dev, r, n); DeviceBuffer y = dev.allocateFloats(n)) {
            double s = time(dev, quick, () -> ew.dropoutForward(x, y, n, 0.5f, 7L, 1L, 0L));
            row("dropout forward p=0.5", String.valueOf(n), s, 8.0 * n / s / 1e9, "GB/s");
            s = time(dev, quick, () -> ew.dropoutBackward(x, y, n, 0.5f, 7L, 1L, 0L, true));
            row("dropout backward acc", String.valueOf(n), s, 12.0 * n / s / 1e9, "GB/s");
        }
    }

    static DeviceBuffer random(CudaDevice dev, SplittableRandom r, long n) {
        float[] host = new float[(int) n];
        for (int i = 0; i < host.length; i++) host[i] = (float) (r.nextDouble() * 2 - 1);
        DeviceBuffer b = dev.allocateFloats(n);
        b.copyFrom(host, host.length);
        return b;
    }

    /** Seconds per call: warm-up, then enough calls for ~0.3 s, synchronised before and after. */
    static double time(CudaDevice dev, boolean quick, Runnable call) {
        call.run();
        dev.synchronize();
        if (quick) {
            long t0 = System.nanoTime();
            call.run();
            dev.synchronize();
            return (System.nanoTime() - t0) * 1e-9;
        }
        int iters = 1;
        while (true) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) call.run();
            dev.synchronize();
            double s = (System.nanoTime() - t0) * 1e-9;
            if (s > 0.3 || iters >= 1 << 16) return s / iters;
            iters *= 2;
        }
    }

    static void row(String kernel, String shape, double seconds, double rate, String unit) {
        System.out.printf(Locale.ROOT, "%-26s %-22s %10.4f %8.1f %s%n", kernel, shape, seconds * 1e3, rate, unit);
    }
}
