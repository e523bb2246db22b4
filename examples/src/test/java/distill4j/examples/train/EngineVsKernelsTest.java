package distill4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import distill4j.engine.io.NamedArray;
import distill4j.engine.io.StateDict;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The experiments' two model implementations — on the engine (autograd, nn, optim, losses) and written
 * by hand on the kernels — must train identically: same initial weights, several steps of the
 * distillation loss (soft + hard), momentum with dampening and max-norm, then the same weights and
 * losses within float32 tolerance. Dropout is off here: the two use different (equally valid) mask
 * layouts.
 */
class EngineVsKernelsTest {
    static final long SEED = 2015L;
    /** float32 accumulation order differs (autograd sums vs fused kernel) over a few steps. */
    static final float ATOL = 2e-5f, RTOL = 2e-4f;

    @Test
    void sameStepsSameWeights() {
        int[] sizes = {20, 16, 12, 5};
        var o = new Net.Options(0f, 0f, 0.8f, true, SEED);
        EngineNet engine = new EngineNet(sizes, o);
        KernelNet kernels = new KernelNet(sizes, o);
        kernels.load(renamed(engine.state()));
        SplittableRandom r = new SplittableRandom(SEED);
        int rows = 7;
        for (int step = 0; step < 6; step++) {
            float[] x = new float[rows * sizes[0]];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            int[] y = new int[rows];
            for (int i = 0; i < rows; i++) y[i] = r.nextInt(5);
            float[] v = new float[rows * 5];
            for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * 3);
            Targets t = step % 2 == 0 ? Targets.distill(4f, 0.7f) : Targets.hard();
            float[] p = SoftTargets.atTemperature(v, 5, 4f);
            var batch = new Targets.Batch(t, y, p);
            double le = engine.trainStep(x, rows, batch, 0.3f, 0.5f + 0.08f * step, null);
            double lk = kernels.trainStep(x, rows, batch, 0.3f, 0.5f + 0.08f * step, null);
            assertEquals(le, lk, ATOL + RTOL * Math.abs(le), "loss at step " + step + " (seed " + SEED + ")");
        }
        StateDict e = renamed(engine.state());
        StateDict k = kernels.state();
        for (String name : new String[] {"fc1.weight", "fc1.bias", "fc2.weight", "fc3.weight", "fc3.bias"}) {
            float[] a = e.array(name).data(), b = k.array(name).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], ATOL + RTOL * Math.abs(b[i]), name + "[" + i + "] (seed " + SEED + ")");
            }
        }
    }

    /** Engine names ("0.weight", "2.weight", ...) → fc1, fc2, ... of the kernel net (parameters only). */
    static StateDict renamed(StateDict s) {
        StateDict.Builder b = StateDict.builder();
        int layer = 0;
        String lastPrefix = null;
        for (NamedArray a : s.arrays().values()) {
            if (a.name().startsWith("optimizer.")) continue;
            String prefix = a.name().substring(0, a.name().lastIndexOf('.'));
            if (!prefix.equals(lastPrefix)) { layer++; lastPrefix = prefix; }
            String kind = a.name().substring(a.name().lastIndexOf('.') + 1);
            b.array("fc" + layer + "." + kind, a.shape(), a.data());
        }
        return b.build();
    }
}
