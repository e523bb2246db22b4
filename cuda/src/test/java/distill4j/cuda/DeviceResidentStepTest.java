package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.Tensor;
import distill4j.engine.Workspace;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.nn.Init;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.MaxNorm;
import distill4j.engine.optim.SGD;
import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
import distill4j.kernels.device.TransferCounter;
import distill4j.kernels.simd.SimdBackend;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's distillation step with the model on the GPU ({@code Module.toDevice(cuda.device())}):
 * an MLP with dropout, {@link DistillationLoss} (soft targets at T and hard labels), SGD with Nesterov
 * momentum and a max-norm constraint, in a {@link Workspace}. Against the SIMD backend on the host
 * from the same start (losses and weights within the tolerances below), and against the same step on
 * {@link CudaBackend} through host arrays (HostStaging: every kernel call copies its operands in and
 * its result out), whose copies it counts ({@link DeviceBuffer#transfers()}, counted on the Java side
 * at every cuMemcpyHtoD/DtoH) next to the device-resident step's.
 */
class DeviceResidentStepTest {
    static final long SEED = 20150309L;
    /** A step or a few of float32 training: GEMM sums in another order, expf/logf ulps (cf. DeviceTrainingTest). */
    static final float WEIGHT_ATOL = 2e-5f, WEIGHT_RTOL = 1e-4f;
    static final double LOSS_RTOL = 1e-5;

    private Backend previous;

    @BeforeEach
    void simdForHostArrays() {
        // host-array work (the loss scalars, the SIMD reference run) on the CPU, as Backends.get() chooses
        previous = Backends.setDefault(new SimdBackend());
    }

    @AfterEach
    void restore() {
        Backends.setDefault(previous);
    }

    /** Data, model and optimizer of one run; every run from the same seed starts identical. */
    static final class Run {
        final int[] dims;
        final int batch;
        final float[] x, soft;
        final int[] labels;
        final Sequential model;
        final SGD opt;
        final DistillationLoss loss = new DistillationLoss(0.7, 4);
        final Workspace ws = new Workspace();

        Run(int batch, int... dims) {
            this.dims = dims;
            this.batch = batch;
            SplittableRandom r = new SplittableRandom(SEED);
            int classes = dims[dims.length - 1];
            x = new float[batch * dims[0]];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            labels = new int[batch];
            for (int i = 0; i < batch; i++) labels[i] = r.nextInt(classes);
            float[] teacher = new float[batch * classes];
            for (int i = 0; i < teacher.length; i++) teacher[i] = (float) (r.nextGaussian() * 3);
            soft = loss.softTargets(Tensor.of(teacher, batch, classes)).toArray();
            model = MLP.of(dims).dropout(0.2, 0.5).init(Init.heUniform()).seed(SEED).build();
            model.train();
            opt = new SGD(model.namedParameters(), 0.05).momentum(0.9).nesterov(true);
            opt.constrain(MaxNorm.onHiddenLayers(model, MaxNorm.fromSquaredLength(15)));
        }

        /** One step; the batch and the soft targets are host arrays, the loss comes back as a float. */
        float step() {
            try (var s = ws.open()) {
                Tensor xt = s.copyOf(x, batch, dims[0]);
                Tensor pt = s.copyOf(soft, batch, dims[dims.length - 1]);
                Tensor l = loss.compute(model.forward(xt), pt, labels);
                opt.zeroGrad();
                l.backward();
                opt.step();
                return l.item();
            }
        }
    }

    static void assertCloseState(String what, Run want, Run got) {
        Map<String, Tensor> w = want.model.stateDict(), g = got.model.stateDict();
        for (String k : w.keySet()) {
            float[] a = w.get(k).data(), b = g.get(k).data();
            DeviceBackendTableTest.assertClose(what + " " + k + " (seed " + SEED + ")", a, b, a.length, WEIGHT_ATOL, WEIGHT_RTOL);
        }
        Map<String, float[]> sw = want.opt.state(), sg = got.opt.state();
        for (String k : sw.keySet()) {
            DeviceBackendTableTest.assertClose(what + " " + k, sw.get(k), sg.get(k), sw.get(k).length, WEIGHT_ATOL, WEIGHT_RTOL);
        }
    }

    @Test
    void theMnistStepCopiesItsBatchInAndItsLossOutAndMatchesSimd() {
        CudaDevice dev = DeviceTests.device();
        CudaBackend cuda = new CudaBackend(dev);
        int batch = 8; // small: the emulated kernels are slow, and the count does not depend on it
        int[] dims = {784, 1200, 1200, 10};
        Run simd = new Run(batch, dims), staged = new Run(batch, dims), resident = new Run(batch, dims);

        float lossSimd = simd.step();

        // before: the same step on CudaBackend through host arrays
        Backends.setDefault(cuda);
        TransferCounter.Snapshot t0 = DeviceBuffer.transfers().snapshot();
        float lossStaged = staged.step();
        TransferCounter.Snapshot before = DeviceBuffer.transfers().snapshot().since(t0);
        Backends.setDefault(new SimdBackend());

        // after: the model on the device, host arrays (loss scalars) on the CPU
        resident.model.toDevice(cuda.deviceKernels());
        TransferCounter.Snapshot t1 = DeviceBuffer.transfers().snapshot();
        float lossResident = resident.step();
        TransferCounter.Snapshot after = DeviceBuffer.transfers().snapshot().since(t1);
        System.out.println("DeviceResidentStepTest 784-1200-1200-10, batch " + batch + ", one step: HostStaging "
                + before + "; device-resident " + after);

        // in: x (B, 784), soft targets (B, 10), labels (B); out: per-row soft and hard losses (B float64 each)
        assertEquals(3, after.hostToDeviceCopies(), after.toString());
        assertEquals(4L * (batch * 784 + batch * 10 + batch), after.hostToDeviceBytes(), after.toString());
        assertEquals(2, after.deviceToHostCopies(), after.toString());
        assertEquals(2L * Double.BYTES * batch, after.deviceToHostBytes(), after.toString());
        assertTrue(before.copies() > 20 * after.copies(), "HostStaging copies per step: " + before);

        assertEquals(lossSimd, lossResident, LOSS_RTOL * Math.abs(lossSimd), "loss (seed " + SEED + ")");
        assertEquals(lossStaged, lossResident, LOSS_RTOL * Math.abs(lossSimd), "loss vs HostStaging");
        assertCloseState("device-resident vs simd", simd, resident);
        assertCloseState("device-resident vs HostStaging", staged, resident);
    }

    @Test
    void aSmallMlpTrainsOnTheDeviceToTheSimdFigures() {
        CudaDevice dev = DeviceTests.device();
        CudaBackend cuda = new CudaBackend(dev);
        int steps = 5, batch = 24;
        int[] dims = {37, 70, 50, 10};
        Run simd = new Run(batch, dims), resident = new Run(batch, dims);
        resident.model.toDevice(cuda.deviceKernels());
        float[] want = new float[steps], got = new float[steps];
        long arrays = -1;
        for (int s = 0; s < steps; s++) {
            want[s] = simd.step();
            got[s] = resident.step();
            if (s == 1) arrays = resident.ws.deviceArraysCreated();
        }
        assertTrue(want[steps - 1] < want[0], "the reference run must learn: " + java.util.Arrays.toString(want));
        for (int s = 0; s < steps; s++) assertEquals(want[s], got[s], LOSS_RTOL * Math.abs(want[s]), "loss of step " + s + " (seed " + SEED + ")");
        assertEquals(arrays, resident.ws.deviceArraysCreated(), "the workspace allocated device memory after step 1");
        assertCloseState("after " + steps + " steps", simd, resident);
        for (Tensor p : resident.model.parameters()) assertTrue(p.isOnDevice(), "reading copies; the parameters stay");
        // and back on the host the model predicts as the SIMD one
        resident.model.toHost();
        Tensor xt = Tensor.of(simd.x, batch, dims[0]);
        float[] pw = simd.model.predict(xt).toArray(), pg = resident.model.predict(xt).toArray();
        DeviceBackendTableTest.assertClose("predictions after toHost()", pw, pg, pw.length, WEIGHT_ATOL, WEIGHT_RTOL);
    }
}
