package distill4j.engine.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.Checkpoint;
import distill4j.engine.Grad;
import distill4j.engine.Tensor;
import distill4j.engine.Workspace;
import distill4j.engine.io.StateDict;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.nn.Init;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.Adam;
import distill4j.engine.optim.MaxNorm;
import distill4j.engine.optim.Optimizer;
import distill4j.engine.optim.SGD;
import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
import distill4j.kernels.ScalarBackend;
import distill4j.kernels.device.DeviceKernels;
import distill4j.kernels.device.ReferenceDeviceKernels;
import distill4j.kernels.device.TransferCounter;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's device-resident path ({@code Module.toDevice}, device tensors through {@link Tensor},
 * {@code Ops}, the optimizers and {@link Workspace}) on {@link ReferenceDeviceKernels}: device memory
 * that is host memory behind the {@link DeviceKernels} seam, with the scalar backend's kernels. So the
 * device run must give exactly the host run's bits, and its copy counter says what a GPU would copy:
 * per distillation step the batch, the soft targets and the labels in, the two losses' per-row values
 * out — however many operations the step has.
 */
class DeviceResidentTest {
    static final int[] DIMS = {37, 70, 50, 10};
    static final int BATCH = 24, STEPS = 4;
    static final long SEED = 20261207L;

    private Backend previous;

    @BeforeEach
    void scalar() {
        previous = Backends.setDefault(new ScalarBackend());
    }

    @AfterEach
    void restore() {
        Backends.setDefault(previous);
    }

    /** One run's data, model and optimizer. */
    static final class Run {
        final float[] x, soft;
        final int[] labels;
        final Sequential model;
        final Optimizer opt;
        final DistillationLoss loss = new DistillationLoss(0.7, 4);
        final float[] losses = new float[STEPS];

        Run(boolean adam) {
            SplittableRandom r = new SplittableRandom(SEED);
            int classes = DIMS[DIMS.length - 1];
            x = new float[BATCH * DIMS[0]];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
            labels = new int[BATCH];
            for (int i = 0; i < BATCH; i++) labels[i] = r.nextInt(classes);
            float[] teacher = new float[BATCH * classes];
            for (int i = 0; i < teacher.length; i++) teacher[i] = (float) (r.nextGaussian() * 3);
            soft = loss.softTargets(Tensor.of(teacher, BATCH, classes)).toArray();
            model = MLP.of(DIMS).dropout(0.2, 0.5).init(Init.heUniform()).seed(SEED).build();
            model.train();
            opt = adam ? new Adam(model.namedParameters(), 1e-3) : new SGD(model.namedParameters(), 0.05).momentum(0.9).nesterov(true);
            opt.constrain(MaxNorm.onHiddenLayers(model, 1.0));
        }

        /** One step: the batch and soft targets are host arrays, fed as a pooled copy (Workspace) or plain tensors. */
        float step(Workspace ws) {
            Workspace.Scope scope = ws == null ? null : ws.open();
            try {
                Tensor xt = scope == null ? Tensor.of(x, BATCH, DIMS[0]) : scope.copyOf(x, BATCH, DIMS[0]);
                Tensor pt = scope == null ? Tensor.of(soft, BATCH, DIMS[3]) : scope.copyOf(soft, BATCH, DIMS[3]);
                Tensor l = loss.compute(model.forward(xt), pt, labels);
                opt.zeroGrad();
                l.backward();
                opt.step();
                return l.item();
            } finally {
                if (scope != null) scope.close();
            }
        }
    }

    static void assertSameState(Run want, Run got) {
        assertArrayEquals(want.losses, got.losses, "losses (seed " + SEED + ")");
        Map<String, Tensor> w = want.model.stateDict(), g = got.model.stateDict();
        for (String k : w.keySet()) assertArrayEquals(w.get(k).data(), g.get(k).data(), k + " (seed " + SEED + ")");
        Map<String, float[]> sw = want.opt.state(), sg = got.opt.state();
        for (String k : sw.keySet()) assertArrayEquals(sw.get(k), sg.get(k), "optimizer state " + k);
    }

    @Test
    void distillationStepOnTheDeviceGivesTheHostBitsWithAHandfulOfCopies() {
        for (boolean withWorkspace : new boolean[] {true, false}) {
            Run host = new Run(false), dev = new Run(false);
            ReferenceDeviceKernels device = new ReferenceDeviceKernels(new ScalarBackend());
            dev.model.toDevice(device);
            for (Tensor p : dev.model.parameters()) assertTrue(p.isOnDevice());
            Workspace wsHost = withWorkspace ? new Workspace() : null, wsDev = withWorkspace ? new Workspace() : null;
            long created = -1;
            for (int s = 0; s < STEPS; s++) {
                host.losses[s] = host.step(wsHost);
                TransferCounter.Snapshot before = device.transfers().snapshot();
                dev.losses[s] = dev.step(wsDev);
                TransferCounter.Snapshot step = device.transfers().snapshot().since(before);
                // in: the batch x (B, 37), the soft targets (B, 10), the labels (B); out: per-row soft and hard losses
                assertEquals(3, step.hostToDeviceCopies(), "step " + s + ": " + step);
                assertEquals(4L * (BATCH * DIMS[0] + BATCH * DIMS[3] + BATCH), step.hostToDeviceBytes(), "step " + s + ": " + step);
                assertEquals(2, step.deviceToHostCopies(), "step " + s + ": " + step);
                assertEquals(2L * Double.BYTES * BATCH, step.deviceToHostBytes(), "step " + s + ": " + step);
                if (wsDev != null) {
                    if (s == 1) created = wsDev.deviceArraysCreated();
                    if (s > 1) assertEquals(created, wsDev.deviceArraysCreated(), "device arrays allocated after step 1");
                }
            }
            assertTrue(dev.losses[STEPS - 1] < dev.losses[0], java.util.Arrays.toString(dev.losses));
            assertSameState(host, dev);
            // the parameters are still on the device after reading them (reads copy)
            for (Tensor p : dev.model.parameters()) assertTrue(p.isOnDevice());
        }
    }

    @Test
    void adamOnTheDeviceGivesTheHostBits() {
        Run host = new Run(true), dev = new Run(true);
        ReferenceDeviceKernels device = new ReferenceDeviceKernels(new ScalarBackend());
        dev.model.toDevice(device);
        Workspace ws = new Workspace();
        for (int s = 0; s < STEPS; s++) {
            host.losses[s] = host.step(ws);
            dev.losses[s] = dev.step(ws);
        }
        assertSameState(host, dev);
    }

    @Test
    void checkpointRoundTripAndBackToTheHost() {
        Run a = new Run(false), b = new Run(false);
        ReferenceDeviceKernels device = new ReferenceDeviceKernels(new ScalarBackend());
        a.model.toDevice(device);
        for (int s = 0; s < 2; s++) a.step(null);
        // a checkpoint of a device model (Checkpoint → StateDict): values and momentum come to the host on demand
        StateDict saved = Checkpoint.capture(a.model, a.opt, Map.of());
        b.model.toDevice(device);
        Checkpoint.restore(saved, b.model, b.opt);
        for (int s = 0; s < 2; s++) {
            a.losses[s] = a.step(null);
            b.losses[s] = b.step(null);
        }
        assertSameState(a, b);
        // and back: a host model with the same values
        a.model.toHost();
        for (Tensor p : a.model.parameters()) assertFalse(p.isOnDevice());
        assertSameState(a, b);
    }

    @Test
    void gradientsOfEveryDeviceOpMatchTheHost() {
        ReferenceDeviceKernels device = new ReferenceDeviceKernels(new ScalarBackend());
        SplittableRandom r = new SplittableRandom(SEED);
        float[] av = new float[6 * 5], bv = new float[5 * 4], rowv = new float[5];
        for (float[] v : new float[][] {av, bv, rowv}) for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-1, 1);
        for (boolean onDevice : new boolean[] {false, true}) {
            Tensor a = Tensor.of(av.clone(), 6, 5).requiresGrad(true), b = Tensor.of(bv.clone(), 5, 4).requiresGrad(true);
            Tensor row = Tensor.of(rowv.clone(), 5).requiresGrad(true);
            if (onDevice) {
                a = a.toDevice(device).requiresGrad(true);
                b = b.toDevice(device).requiresGrad(true);
                row = row.toDevice(device).requiresGrad(true);
            }
            // every op with a device kernel, composed
            Tensor y = a.add(row).mul(0.5).sub(a).relu().matmul(b).reshape(4, 6).softmax(2).logSoftmax(1.5);
            Tensor l = y.mean().add(y.sum().mul(0.25)).add(Tensor.of(new float[] {1f}));
            if (onDevice) assertFalse(l.isOnDevice(), "reductions return a host scalar");
            l.backward();
            float[][] got = {a.grad().toArray(), b.grad().toArray(), row.grad().toArray(), {l.item()}};
            if (!onDevice) WANT[0] = got;
            else for (int i = 0; i < got.length; i++) assertArrayEquals(WANT[0][i], got[i], "gradient " + i);
        }
    }

    private static final float[][][] WANT = new float[1][][];

    @Test
    void opsWithoutADeviceKernelCopyToTheHostOnlyWithoutAGradient() {
        ReferenceDeviceKernels device = new ReferenceDeviceKernels(new ScalarBackend());
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).toDevice(device).requiresGrad(true);
        assertThrows(UnsupportedOperationException.class, () -> x.t());
        try (var g = Grad.disabled()) {
            Tensor t = x.t();
            assertFalse(t.isOnDevice());
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toArray());
        }
        // a host tensor that needs a gradient cannot meet device tensors
        Tensor h = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> x.add(h));
        assertEquals(21f, x.sum().item());
        assertTrue(x.toString().contains("on reference(scalar)"), x.toString());
    }
}
