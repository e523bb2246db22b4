package distill4j.engine.optim;

import static distill4j.engine.GradCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.AllBackends.BackendTest;
import distill4j.engine.Tensor;
import distill4j.engine.nn.Linear;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Parameter;
import distill4j.engine.nn.Sequential;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimTest {
    /** Optimizer steps in float32 vs the same recurrences in float64, a few steps: rounding only. */
    private static final double ATOL = 1e-6, RTOL = 1e-5;

    private static final float[] START = {0.5f, -1.25f, 2f, 0.1f, -0.7f};
    private static final float[] TARGET = {1f, 1f, -1f, 0f, 0.3f};

    /** L = ½ Σ (w − target)², gradient w − target. */
    private static void lossBackward(Parameter w) {
        Tensor d = w.sub(Tensor.of(TARGET.clone(), TARGET.length));
        d.mul(d).sum().mul(0.5f).backward();
    }

    @BackendTest
    void sgdMatchesItsRecurrence() {
        float lr = 0.1f, mu = 0.9f, damp = 0.1f, wd = 0.01f;
        for (boolean nesterov : new boolean[] {false, true}) {
            float d = nesterov ? 0f : damp;
            Parameter w = new Parameter(START.clone(), START.length);
            SGD sgd = new SGD(List.of(w), lr).momentum(mu).dampening(d).weightDecay(wd).nesterov(nesterov);
            double[] rw = new double[START.length], rv = new double[START.length];
            for (int i = 0; i < rw.length; i++) rw[i] = START[i];
            for (int step = 0; step < 5; step++) {
                sgd.zeroGrad();
                lossBackward(w);
                sgd.step();
                for (int i = 0; i < rw.length; i++) {
                    // g' = g + wd·w; v = μ·v + (1 − d)·g'; w −= lr·(nesterov ? g' + μ·v : v)
                    double g = (rw[i] - TARGET[i]) + wd * rw[i];
                    rv[i] = mu * rv[i] + (1 - d) * g;
                    rw[i] -= lr * (nesterov ? g + mu * rv[i] : rv[i]);
                }
                assertClose("SGD nesterov=" + nesterov + " step " + step, w.data(), rw, ATOL, RTOL);
            }
        }
    }

    @BackendTest
    void adamMatchesItsRecurrence() {
        float lr = 0.05f, b1 = 0.9f, b2 = 0.99f, eps = 1e-8f, wd = 0.001f;
        Parameter w = new Parameter(START.clone(), START.length);
        Adam adam = new Adam(List.of(w), lr).betas(b1, b2).eps(eps).weightDecay(wd);
        double[] rw = new double[START.length], m = new double[START.length], v = new double[START.length];
        for (int i = 0; i < rw.length; i++) rw[i] = START[i];
        for (int t = 1; t <= 5; t++) {
            adam.zeroGrad();
            lossBackward(w);
            adam.step();
            for (int i = 0; i < rw.length; i++) {
                double g = (rw[i] - TARGET[i]) + wd * rw[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                rw[i] -= lr * (m[i] / (1 - Math.pow(b1, t))) / (Math.sqrt(v[i] / (1 - Math.pow(b2, t))) + eps);
            }
            assertClose("Adam step " + t, w.data(), rw, ATOL, RTOL);
        }
        assertEquals(5, adam.steps());
    }

    @BackendTest
    void maxNormRescalesOnlyRowsAboveTheBound() {
        Linear l = new Linear(3, 3, 0);
        // rows of norm 5, 1 and 13
        l.weight.set(new float[] {3, 4, 0, 1, 0, 0, 5, 0, 12});
        float c = MaxNorm.fromSquaredLength(15); // the dropout paper's bound: squared length ≤ 15
        SGD sgd = new SGD(l.namedParameters(), 0f);
        sgd.constrain(MaxNorm.onLinearWeights(l, c));
        l.forward(Tensor.ones(1, 3)).sum().backward();
        sgd.step();
        float[] w = l.weight.data();
        assertEquals(c, Math.sqrt(w[0] * w[0] + w[1] * w[1]), 1e-5);
        assertEquals(0.6 * c, w[0], 1e-5, "direction kept");
        assertArrayEquals(new float[] {1, 0, 0}, java.util.Arrays.copyOfRange(w, 3, 6), "rows under the bound untouched");
        assertEquals(c, Math.sqrt(w[6] * w[6] + w[8] * w[8]), 1e-5);
    }

    @Test
    void maxNormOnHiddenLayersSkipsTheOutputLayer() {
        Sequential m = MLP.of(4, 6, 5, 3).init((v, fi, fo, rng) -> java.util.Arrays.fill(v, 10f)).build();
        MaxNorm.onHiddenLayers(m, 1f).apply();
        List<Linear> ls = m.linears();
        assertEquals(1.0, Math.sqrt(4 * ls.get(0).weight.data()[0] * ls.get(0).weight.data()[0]), 1e-5);
        assertEquals(10f, ls.get(2).weight.data()[0]);
    }

    @Test
    void schedules() {
        Schedule lr = Schedule.exponential(10f, 0.998);
        assertEquals(10f, lr.at(0));
        assertEquals(9.98f, lr.at(1), 1e-5);
        assertEquals(10 * Math.pow(0.998, 100), lr.at(100), 1e-4);
        Schedule mu = Schedule.linear(0.5f, 0.99f, 500);
        assertEquals(0.5f, mu.at(0));
        assertEquals(0.745f, mu.at(250), 1e-6);
        assertEquals(0.99f, mu.at(500));
        assertEquals(0.99f, mu.at(3000));
        Schedule st = Schedule.step(1f, 0.1, 10);
        assertEquals(1f, st.at(9));
        assertEquals(0.1f, st.at(10), 1e-7);
        Schedule cos = Schedule.cosine(1f, 0f, 100);
        assertEquals(1f, cos.at(0));
        assertEquals(0.5f, cos.at(50), 1e-6);
        assertEquals(0f, cos.at(100));
        assertEquals(0.3f, Schedule.constant(0.3f).at(17));
    }

    @BackendTest
    void savedStateResumesExactly() {
        for (String kind : new String[] {"sgd", "adam"}) {
            Parameter a = new Parameter(START.clone(), START.length);
            Optimizer full = make(kind, a);
            for (int i = 0; i < 4; i++) {
                full.zeroGrad();
                lossBackward(a);
                full.step();
            }
            Parameter b = new Parameter(START.clone(), START.length);
            Optimizer first = make(kind, b);
            for (int i = 0; i < 2; i++) {
                first.zeroGrad();
                lossBackward(b);
                first.step();
            }
            Map<String, float[]> saved = new HashMap<>();
            first.state().forEach((k, v) -> saved.put(k, v.clone()));
            Parameter c = new Parameter(b.toArray(), START.length);
            Optimizer resumed = make(kind, c);
            resumed.loadState(saved);
            for (int i = 0; i < 2; i++) {
                resumed.zeroGrad();
                lossBackward(c);
                resumed.step();
            }
            assertArrayEquals(a.data(), c.data(), kind + ": resumed run differs from the uninterrupted one");
            assertTrue(saved.keySet().stream().anyMatch(k -> k.startsWith("w.")), kind + " state is keyed by parameter name");
        }
    }

    private static Optimizer make(String kind, Parameter p) {
        Map<String, Parameter> named = Map.of("w", p);
        return kind.equals("sgd") ? new SGD(named, 0.1f).momentum(0.9f) : new Adam(named, 0.05f);
    }

    @Test
    void aSharedParameterIsUpdatedOnce() {
        Parameter w = new Parameter(new float[] {1f}, 1);
        Map<String, Parameter> named = new java.util.LinkedHashMap<>();
        named.put("encoder.w", w);
        named.put("decoder.w", w); // tied weights
        SGD sgd = new SGD(named, 0.5f);
        w.mul(2f).sum().backward();
        sgd.step();
        assertEquals(0f, w.data()[0]);
        assertEquals(1, sgd.state().size());
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Parameter used = new Parameter(new float[] {1f}, 1), unused = new Parameter(new float[] {1f}, 1);
        SGD sgd = new SGD(List.of(used, unused), 0.5f);
        used.mul(2f).sum().backward();
        sgd.step();
        assertEquals(0f, used.data()[0]);
        assertEquals(1f, unused.data()[0]);
    }
}
