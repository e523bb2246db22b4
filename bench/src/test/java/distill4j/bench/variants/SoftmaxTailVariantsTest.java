package distill4j.bench.variants;

import static org.junit.jupiter.api.Assertions.assertEquals;

import distill4j.kernels.simd.SimdBackend;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frozen softmax copy kept for measurement, at the switches this JVM was started with (the
 * defaults: the shipped overlapped tails), gives the library's bits: loss and gradient of the fused
 * kernels, rows narrower than a vector, with tails, and longer than the overlap limit.
 */
class SoftmaxTailVariantsTest {

    @ParameterizedTest(name = "cols={0}")
    @ValueSource(ints = {1, 7, 17, 33, 120, 1000})
    void sameBitsAsTheShippedKernel(int cols) {
        int rows = 5;
        Random rnd = new Random(cols);
        float[] z = new float[rows * cols], p = new float[rows * cols];
        int[] labels = new int[rows];
        for (int i = 0; i < z.length; i++) z[i] = (float) rnd.nextGaussian() * 3f;
        for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(cols);
        SimdBackend simd = new SimdBackend();
        simd.softmax().softmaxForward(z, p, rows, cols, 4f);
        float[] want = new float[z.length], got = new float[z.length];
        double wantHard = simd.softmax().softmaxCrossEntropyHard(z, labels, want, rows, cols, 1f, 0.5f);
        double gotHard = SoftmaxTailVariants.softmaxCrossEntropyHard(z, labels, got, rows, cols, 1f, 0.5f);
        assertEquals(wantHard, gotHard, 0.0, "hard loss, cols " + cols);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 0f, "hard grad[" + i + "], cols " + cols);
        double wantSoft = simd.softmax().softmaxCrossEntropySoft(z, p, want, rows, cols, 4f, 0.5f);
        double gotSoft = SoftmaxTailVariants.softmaxCrossEntropySoft(z, p, got, rows, cols, 4f, 0.5f);
        assertEquals(wantSoft, gotSoft, 0.0, "soft loss, cols " + cols);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 0f, "soft grad[" + i + "], cols " + cols);
    }
}
