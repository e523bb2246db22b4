package distill4j.bench;

import static org.junit.jupiter.api.Assertions.fail;

import distill4j.engine.nn.Linear;
import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * The two ways the train-step benchmark writes a step, through the engine ({@link EngineStep}) and as
 * direct kernel calls ({@link MlpStep}), do the same arithmetic: with dropout off and the same starting
 * weights they give the same losses and the same weights over several SGD-momentum steps, on every
 * backend. (MlpStep's own gradients are checked against central differences in MlpStepTest.)
 */
class EngineStepTest {
    /** Two float32 implementations of the same step, different summation orders: per value, after 5 steps. */
    static final double ATOL = 1e-5, RTOL = 1e-4;

    static final int[] DIMS = {9, 8, 7, 5};
    static final int BATCH = 4;
    static final float T = 3f, ALPHA = 0.8f, LR = 0.05f, MOMENTUM = 0.9f;

    private Backend previous;

    @AfterEach
    void restore() {
        Backends.setDefault(previous);
    }

    @Test
    void engineAndKernelStepsAgree() {
        previous = Backends.setDefault(null);
        for (String name : Variants.availableBackends()) {
            Backend backend = Variants.backend(name, 1);
            Backends.setDefault(backend);
            compare(backend);
        }
    }

    static void compare(Backend backend) {
        MlpStep.Batch data = MlpStep.Batch.random(DIMS, BATCH, T, 2, 31);
        float[] x = data.x(), soft = data.soft();
        int[] labels = data.labels();

        EngineStep engine = new EngineStep(DIMS, BATCH, 0f, 0f, T, ALPHA, LR, MOMENTUM, 5, x, soft, labels);
        MlpStep kernels = new MlpStep(backend, DIMS, BATCH, 0f, 0f, T, ALPHA, LR, MOMENTUM, 6);
        List<Linear> linears = engine.student().linears();
        for (int l = 0; l < linears.size(); l++) {
            System.arraycopy(linears.get(l).weight.data(), 0, kernels.w[l], 0, kernels.w[l].length);
            System.arraycopy(linears.get(l).bias.data(), 0, kernels.b[l], 0, kernels.b[l].length);
        }
        for (int s = 0; s < 5; s++) {
            double a = engine.step(), b = kernels.step(x, soft, labels);
            check(backend, "loss at step " + s, a, b);
        }
        for (int l = 0; l < linears.size(); l++) {
            float[] we = linears.get(l).weight.data(), be = linears.get(l).bias.data();
            for (int i = 0; i < we.length; i++) check(backend, "W" + l + "[" + i + "] after 5 steps", we[i], kernels.w[l][i]);
            for (int i = 0; i < be.length; i++) check(backend, "b" + l + "[" + i + "] after 5 steps", be[i], kernels.b[l][i]);
        }
    }

    static void check(Backend backend, String what, double engine, double kernels) {
        if (!(Math.abs(engine - kernels) <= ATOL + RTOL * Math.abs(kernels))) {
            fail(backend.name() + ": " + what + ": engine " + engine + ", kernels " + kernels + " (data seed 31)");
        }
    }
}
