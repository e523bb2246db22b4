package distill4j.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.AllBackends.BackendTest;
import distill4j.engine.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NnTest {

    @Test
    void mlpBuilderLaysOutThePaperTeacher() {
        Sequential teacher = MLP.of(784, 1200, 1200, 10).dropout(0.2f, 0.5f).init(Init.gaussian(0.01)).seed(1).build();
        assertEquals("Sequential(Dropout(p=0.2), Linear(784 -> 1200), ReLU, Dropout(p=0.5), Linear(1200 -> 1200), ReLU, "
                + "Dropout(p=0.5), Linear(1200 -> 10))", teacher.toString());
        assertEquals(784 * 1200 + 1200 + 1200 * 1200 + 1200 + 1200 * 10 + 10, teacher.parameterCount());
        assertEquals(List.of("1.weight", "1.bias", "4.weight", "4.bias", "7.weight", "7.bias"),
                List.copyOf(teacher.namedParameters().keySet()));
        Sequential small = MLP.of(784, 800, 800, 10).build();
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                List.copyOf(small.namedParameters().keySet()));
        assertEquals(3, small.linears().size());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        Sequential a = MLP.of(20, 16, 3).init(Init.gaussian(0.1)).seed(7).build();
        Sequential b = MLP.of(20, 16, 3).init(Init.gaussian(0.1)).seed(7).build();
        Sequential c = MLP.of(20, 16, 3).init(Init.gaussian(0.1)).seed(8).build();
        for (String k : a.namedParameters().keySet()) {
            assertArrayEquals(a.namedParameters().get(k).data(), b.namedParameters().get(k).data(), k);
            assertFalse(java.util.Arrays.equals(a.namedParameters().get(k).data(), c.namedParameters().get(k).data()), k);
        }
        // layers draw from independent streams: the two weight matrices differ
        assertFalse(java.util.Arrays.equals(a.linears().get(0).weight.data(), a.linears().get(1).weight.data()));
    }

    /** Initialisers: sample moments and bounds from 60,000 draws (loose enough for any seed, tight enough to catch a wrong scale). */
    @Test
    void initialisersHaveTheirDistributions() {
        int fanIn = 300, fanOut = 200, n = fanIn * fanOut;
        float[] v = new float[n];
        Init.gaussian(0.01).fill(v, fanIn, fanOut, new SplittableRandom(3));
        double[] m = moments(v);
        assertEquals(0, m[0], 3e-4, "gaussian mean");
        assertEquals(0.01, Math.sqrt(m[1]), 3e-4, "gaussian std");
        double xavier = Math.sqrt(6.0 / (fanIn + fanOut));
        Init.xavierUniform().fill(v, fanIn, fanOut, new SplittableRandom(3));
        assertTrue(maxAbs(v) <= xavier && maxAbs(v) > 0.99 * xavier, "xavier bound");
        assertEquals(xavier / Math.sqrt(3), Math.sqrt(moments(v)[1]), 0.02 * xavier, "xavier std");
        double he = Math.sqrt(6.0 / fanIn);
        Init.heUniform().fill(v, fanIn, fanOut, new SplittableRandom(3));
        assertTrue(maxAbs(v) <= he && maxAbs(v) > 0.99 * he, "he bound");
        Init.lecunUniform().fill(v, fanIn, fanOut, new SplittableRandom(3));
        assertTrue(maxAbs(v) <= 1 / Math.sqrt(fanIn), "default bound");
    }

    private static double[] moments(float[] v) {
        double s = 0, s2 = 0;
        for (float x : v) s += x;
        double mean = s / v.length;
        for (float x : v) s2 += (x - mean) * (x - mean);
        return new double[] {mean, s2 / v.length};
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    @BackendTest
    void dropoutIsDeterministicPerStepAndOffInEval() {
        Tensor x = Tensor.ones(4, 50);
        Dropout d1 = new Dropout(0.5f, 99), d2 = new Dropout(0.5f, 99);
        float[] a0 = d1.forward(x).toArray(), a1 = d1.forward(x).toArray();
        assertArrayEquals(a0, d2.forward(x).toArray(), "same seed and step, same mask");
        assertFalse(java.util.Arrays.equals(a0, a1), "the step counter advances the mask");
        assertEquals(2, d1.step());
        int kept = 0;
        for (float v : a0) {
            assertTrue(v == 0f || v == 2f, "inverted dropout scales survivors by 1/(1 − p)");
            if (v != 0f) kept++;
        }
        assertTrue(kept > 60 && kept < 140, "about half of 200 kept, got " + kept);
        d1.eval();
        assertSame(x, d1.forward(x));
        assertEquals(2, d1.step(), "eval passes do not advance the step");
        d1.train();
        d1.setStep(0);
        assertArrayEquals(a0, d1.forward(x).toArray(), "resuming from a saved step gives the same mask");
    }

    @Test
    void trainEvalPropagateAndPredictRestoresMode() {
        Sequential m = MLP.of(4, 8, 2).dropout(0.2f, 0.5f).build();
        assertTrue(m.modules().stream().allMatch(Module::isTraining));
        Tensor y = m.predict(Tensor.ones(3, 4));
        assertFalse(y.requiresGrad());
        assertTrue(m.modules().stream().allMatch(Module::isTraining), "predict restores training mode");
        m.eval();
        assertTrue(m.modules().stream().noneMatch(Module::isTraining));
    }

    @Test
    void stateDictRoundTrip() {
        Sequential a = MLP.of(5, 7, 3).seed(1).build(), b = MLP.of(5, 7, 3).seed(2).build();
        Map<String, Tensor> state = a.stateDict();
        assertSame(a.namedParameters().get("0.weight").data(), state.get("0.weight").data(), "state dict shares storage");
        b.loadStateDict(state);
        Tensor x = Tensor.ones(2, 5);
        assertArrayEquals(a.predict(x).data(), b.predict(x).data());
        assertNotSame(a.namedParameters().get("0.weight").data(), b.namedParameters().get("0.weight").data());
    }

    @BackendTest
    void linearComputesXWTransposePlusB() {
        Linear l = new Linear(3, 2, 0);
        l.weight.set(new float[] {1, 2, 3, 4, 5, 6});
        l.bias.set(new float[] {0.5f, -1});
        Tensor y = l.forward(Tensor.of(new float[][] {{1, 0, -1}, {2, 1, 0}}));
        assertArrayEquals(new float[] {1 - 3 + 0.5f, 4 - 6 - 1, 2 + 2 + 0.5f, 8 + 5 - 1}, y.data());
    }
}
