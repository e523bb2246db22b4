package distill4j.bench.harness;

import distill4j.kernels.simd.SimdBackend;
import distill4j.kernels.Backend;
import java.util.Random;

/**
 * Development harness (not a test): one 64-bit hash of the outputs (every bit) of the SIMD softmax
 * kernels on fixed random inputs, per shape given as ROWSxCOLS, to tell whether a kernel change
 * moved any result. Compare two builds by running this class against each one's kernel classes:
 * java --add-modules jdk.incubator.vector -cp OTHER/kernels/target/classes:kernels/target/test-classes
 *      distill4j.bench.harness.SoftmaxOutputHash 100x10 500x10 128x16 128x120
 */
public final class SoftmaxOutputHash {
    public static void main(String[] args) {
        Backend b = new SimdBackend();
        for (String shape : args) {
            String[] rc = shape.split("x");
            int rows = Integer.parseInt(rc[0]), cols = Integer.parseInt(rc[1]), n = rows * cols;
            Random rnd = new Random(5);
            float[] z = new float[n], p = new float[n], g = new float[n], y = new float[n];
            int[] labels = new int[rows];
            for (int i = 0; i < n; i++) z[i] = (float) rnd.nextGaussian() * 4;
            for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(cols);
            long h = 17;
            b.softmax().softmaxForward(z, p, rows, cols, 20f);
            h = mix(h, p);
            h = h * 31 + Double.doubleToLongBits(b.softmax().softmaxCrossEntropyHard(z, labels, g, rows, cols, 1f, 0.01f));
            h = mix(h, g);
            h = h * 31 + Double.doubleToLongBits(b.softmax().softmaxCrossEntropySoft(z, p, g, rows, cols, 20f, 4f));
            h = mix(h, g);
            b.softmax().logSoftmaxForward(z, y, rows, cols, 2f);
            h = mix(h, y);
            b.softmax().logSoftmaxBackward(y, p, g, rows, cols, 2f, false);
            h = mix(h, g);
            b.softmax().softmaxBackward(p, z, g, rows, cols, 3f, true);
            h = mix(h, g);
            System.out.printf("%s %016x%n", shape, h);
        }
    }

    private static long mix(long h, float[] x) {
        for (float v : x) h = h * 1000003 + Float.floatToRawIntBits(v);
        return h;
    }
}
