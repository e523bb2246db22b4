package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.cuda.gemm.CudaGemm;
import distill4j.cuda.softmax.CudaSoftmax;
import distill4j.cuda.elementwise.CudaElementwise;
import distill4j.cuda.optim.CudaOptim;
import distill4j.cuda.dropout.CudaDropout;
import distill4j.kernels.Backend;
import distill4j.kernels.gemm.GemmLayout;
import distill4j.kernels.ScalarBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A few distillation training steps of a small MLP end to end, through Backend calls only, on the
 * CUDA backend and on the scalar reference from the same start: the losses of every step and the final
 * weights must agree. Then the same steps with everything resident on the device ({@link DeviceBuffer}s
 * and the kernel-family classes), which must give exactly the CUDA backend's numbers.
 *
 * <p>Model: x (B, IN) → h = dropout(relu(x W1ᵀ + b1)) → z = h W2ᵀ + b2; loss = α·T²·CE(softmax(t/T),
 * softmax(z/T)) + (1 − α)·CE(y, softmax(z)), averaged over the batch (Hinton et al. 2015, §2).
 */
class DeviceTrainingTest {
    static final int B = 24, IN = 37, HID = 70, OUT = 10, STEPS = 5;
    static final float T = 4f, ALPHA = 0.7f, P_DROP = 0.2f, LR = 0.1f, MOMENTUM = 0.9f, MAX_NORM = 2.5f;
    static final long SEED = 20150309L;
    /** Five steps of float32 training drift apart a little more than one kernel call. */
    static final float WEIGHT_ATOL = 2e-5f, WEIGHT_RTOL = 1e-4f;
    static final double LOSS_RTOL = 1e-5;

    /** Parameters and data of the run, all on the host. */
    static final class Run {
        final float[] x, teacher, w1, b1, w2, b2, v1, vb1, v2, vb2;
        final int[] labels;
        final double[] losses = new double[STEPS];

        Run() {
            SplittableRandom r = new SplittableRandom(SEED);
            x = DeviceBackendTableTest.uniform(r, B * IN, -1, 1);
            teacher = DeviceBackendTableTest.uniform(r, B * OUT, -6, 6);
            labels = new int[B];
            for (int i = 0; i < B; i++) labels[i] = r.nextInt(OUT);
            w1 = DeviceBackendTableTest.uniform(r, HID * IN, -0.3f, 0.3f);
            b1 = DeviceBackendTableTest.uniform(r, HID, -0.1f, 0.1f);
            w2 = DeviceBackendTableTest.uniform(r, OUT * HID, -0.3f, 0.3f);
            b2 = DeviceBackendTableTest.uniform(r, OUT, -0.1f, 0.1f);
            v1 = new float[HID * IN];
            vb1 = new float[HID];
            v2 = new float[OUT * HID];
            vb2 = new float[OUT];
        }
    }

    static void trainOnHost(Backend k, Run run) {
        float[] pTeacher = new float[B * OUT];
        k.softmax().softmaxForward(run.teacher, pTeacher, B, OUT, T);
        float[] h = new float[B * HID], z = new float[B * OUT], dz = new float[B * OUT], dzHard = new float[B * OUT];
        float[] dh = new float[B * HID], dw1 = new float[HID * IN], db1 = new float[HID], dw2 = new float[OUT * HID],
                db2 = new float[OUT];
        for (int step = 0; step < STEPS; step++) {
            // forward
            k.gemm().gemm(GemmLayout.NT, B, HID, IN, run.x, run.w1, h, false);
            k.elementwise().biasAddForward(h, run.b1, B, HID);
            k.elementwise().reluForward(h, h, B * HID);
            k.dropout().dropoutForward(h, h, B * HID, P_DROP, SEED, step, 0);
            k.gemm().gemm(GemmLayout.NT, B, OUT, HID, h, run.w2, z, false);
            k.elementwise().biasAddForward(z, run.b2, B, OUT);
            // loss = α T² · soft CE at T + (1 − α) · hard CE at 1, batch mean; dz = its gradient
            double soft = k.softmax().softmaxCrossEntropySoft(z, pTeacher, dz, B, OUT, T, ALPHA * T * T / B);
            double hard = k.softmax().softmaxCrossEntropyHard(z, run.labels, dzHard, B, OUT, 1f, (1 - ALPHA) / B);
            run.losses[step] = (ALPHA * T * T * soft + (1 - ALPHA) * hard) / B;
            k.elementwise().axpy(B * OUT, 1f, dzHard, dz);
            // backward
            k.gemm().gemm(GemmLayout.TN, OUT, HID, B, dz, h, dw2, false);
            k.elementwise().biasBackward(dz, db2, B, OUT, false);
            k.gemm().gemm(GemmLayout.NN, B, HID, OUT, dz, run.w2, dh, false);
            k.dropout().dropoutBackward(dh, dh, B * HID, P_DROP, SEED, step, 0, false);
            k.elementwise().reluBackward(h, dh, dh, B * HID, false);
            k.gemm().gemm(GemmLayout.TN, HID, IN, B, dh, run.x, dw1, false);
            k.elementwise().biasBackward(dh, db1, B, HID, false);
            // update
            k.optim().sgdUpdate(HID * IN, run.w1, dw1, run.v1, LR, MOMENTUM, 0f, 1e-4f, false);
            k.optim().sgdUpdate(HID, run.b1, db1, run.vb1, LR, MOMENTUM, 0f, 0f, false);
            k.optim().sgdUpdate(OUT * HID, run.w2, dw2, run.v2, LR, MOMENTUM, 0f, 1e-4f, true);
            k.optim().sgdUpdate(OUT, run.b2, db2, run.vb2, LR, MOMENTUM, 0f, 0f, true);
            k.optim().maxNormRows(run.w1, HID, IN, MAX_NORM);
            k.optim().maxNormRows(run.w2, OUT, HID, MAX_NORM);
        }
    }

    /** The same steps with every tensor on the device: only the labels, the data and the per-row losses cross. */
    static void trainOnDevice(CudaDevice dev, Run run) {
        CudaGemm g = new CudaGemm(dev);
        CudaSoftmax s = new CudaSoftmax(dev);
        CudaElementwise e = new CudaElementwise(dev);
        CudaOptim o = new CudaOptim(dev);
        CudaDropout d = new CudaDropout(dev);
        try (DeviceBuffer x = up(dev, run.x); DeviceBuffer teacher = up(dev, run.teacher);
             DeviceBuffer labels = dev.allocate((long) B * Integer.BYTES);
             DeviceBuffer w1 = up(dev, run.w1); DeviceBuffer b1 = up(dev, run.b1);
             DeviceBuffer w2 = up(dev, run.w2); DeviceBuffer b2 = up(dev, run.b2);
             DeviceBuffer v1 = up(dev, run.v1); DeviceBuffer vb1 = up(dev, run.vb1);
             DeviceBuffer v2 = up(dev, run.v2); DeviceBuffer vb2 = up(dev, run.vb2);
             DeviceBuffer pTeacher = dev.allocateFloats(B * OUT); DeviceBuffer h = dev.allocateFloats(B * HID);
             DeviceBuffer z = dev.allocateFloats(B * OUT); DeviceBuffer dz = dev.allocateFloats(B * OUT);
             DeviceBuffer dzHard = dev.allocateFloats(B * OUT); DeviceBuffer dh = dev.allocateFloats(B * HID);
             DeviceBuffer dw1 = dev.allocateFloats(HID * IN); DeviceBuffer db1 = dev.allocateFloats(HID);
             DeviceBuffer dw2 = dev.allocateFloats(OUT * HID); DeviceBuffer db2 = dev.allocateFloats(OUT);
             DeviceBuffer rowLoss = dev.allocate((long) B * Double.BYTES)) {
            labels.copyFrom(run.labels, B);
            s.softmaxForward(teacher, pTeacher, B, OUT, T);
            double[] rows = new double[B];
            for (int step = 0; step < STEPS; step++) {
                g.gemmF32(GemmLayout.NT, B, HID, IN, x, w1, h, false);
                e.biasAddForward(h, b1, B, HID);
                e.reluForward(h, h, B * HID);
                d.dropoutForward(h, h, B * HID, P_DROP, SEED, step, 0);
                g.gemmF32(GemmLayout.NT, B, OUT, HID, h, w2, z, false);
                e.biasAddForward(z, b2, B, OUT);
                s.crossEntropySoft(z, pTeacher, dz, rowLoss, B, OUT, T, ALPHA * T * T / B);
                double soft = sum(rowLoss, rows);
                s.crossEntropyHard(z, labels, dzHard, rowLoss, B, OUT, 1f, (1 - ALPHA) / B);
                double hard = sum(rowLoss, rows);
                run.losses[step] = (ALPHA * T * T * soft + (1 - ALPHA) * hard) / B;
                e.axpy(B * OUT, 1f, dzHard, dz);
                g.gemmF32(GemmLayout.TN, OUT, HID, B, dz, h, dw2, false);
                e.biasBackward(dz, db2, B, OUT, false);
                g.gemmF32(GemmLayout.NN, B, HID, OUT, dz, w2, dh, false);
                d.dropoutBackward(dh, dh, B * HID, P_DROP, SEED, step, 0, false);
                e.reluBackward(h, dh, dh, B * HID, false);
                g.gemmF32(GemmLayout.TN, HID, IN, B, dh, x, dw1, false);
                e.biasBackward(dh, db1, B, HID, false);
                o.sgdUpdate(HID * IN, w1, dw1, v1, LR, MOMENTUM, 0f, 1e-4f, false);
                o.sgdUpdate(HID, b1, db1, vb1, LR, MOMENTUM, 0f, 0f, false);
                o.sgdUpdate(OUT * HID, w2, dw2, v2, LR, MOMENTUM, 0f, 1e-4f, true);
                o.sgdUpdate(OUT, b2, db2, vb2, LR, MOMENTUM, 0f, 0f, true);
                o.maxNormRows(w1, HID, IN, MAX_NORM);
                o.maxNormRows(w2, OUT, HID, MAX_NORM);
            }
            dev.synchronize();
            w1.copyTo(run.w1, HID * IN);
            b1.copyTo(run.b1, HID);
            w2.copyTo(run.w2, OUT * HID);
            b2.copyTo(run.b2, OUT);
        }
    }

    static DeviceBuffer up(CudaDevice dev, float[] a) {
        DeviceBuffer b = dev.allocateFloats(a.length);
        b.copyFrom(a, a.length);
        return b;
    }

    static double sum(DeviceBuffer rowLoss, double[] host) {
        rowLoss.copyTo(host, host.length);
        double s = 0;
        for (double v : host) s += v;
        return s;
    }

    @Test
    void cudaBackendTrainsLikeTheScalarReferenceAndDeviceResidentStepsMatchIt() {
        CudaDevice dev = DeviceTests.device();
        Run want = new Run(), got = new Run(), resident = new Run();
        trainOnHost(new ScalarBackend(), want);
        trainOnHost(new CudaBackend(dev), got);
        trainOnDevice(dev, resident);

        assertTrue(want.losses[STEPS - 1] < want.losses[0], "the reference run must learn: " + java.util.Arrays.toString(want.losses));
        for (int s = 0; s < STEPS; s++) {
            assertEquals(want.losses[s], got.losses[s], LOSS_RTOL * Math.abs(want.losses[s]), "loss of step " + s + " (seed " + SEED + ")");
            assertEquals(got.losses[s], resident.losses[s], 0.0, "device-resident loss of step " + s);
        }
        DeviceBackendTableTest.assertClose("w1 after " + STEPS + " steps", want.w1, got.w1, want.w1.length, WEIGHT_ATOL, WEIGHT_RTOL);
        DeviceBackendTableTest.assertClose("b1", want.b1, got.b1, HID, WEIGHT_ATOL, WEIGHT_RTOL);
        DeviceBackendTableTest.assertClose("w2", want.w2, got.w2, want.w2.length, WEIGHT_ATOL, WEIGHT_RTOL);
        DeviceBackendTableTest.assertClose("b2", want.b2, got.b2, OUT, WEIGHT_ATOL, WEIGHT_RTOL);
        DeviceBackendTableTest.assertBitIdentical("device-resident w1", got.w1, resident.w1);
        DeviceBackendTableTest.assertBitIdentical("device-resident w2", got.w2, resident.w2);
        DeviceBackendTableTest.assertBitIdentical("device-resident b1", got.b1, resident.b1);
        DeviceBackendTableTest.assertBitIdentical("device-resident b2", got.b2, resident.b2);
    }
}
