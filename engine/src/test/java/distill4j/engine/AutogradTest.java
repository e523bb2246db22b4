package distill4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.AllBackends.BackendTest;
import org.junit.jupiter.api.Test;

/** Graph recording, the no-grad scope, accumulation and the shape of the backward pass. */
class AutogradTest {

    @Test
    @SuppressWarnings("try") // the scope object only restores the grad mode on close
    void noGradScopeRecordsNothingAndRestoresTheState() {
        Tensor w = Tensor.ones(2, 2).requiresGrad(true);
        assertTrue(Grad.isEnabled());
        try (var g = Grad.disabled()) {
            assertFalse(Grad.isEnabled());
            Tensor y = w.matmul(w).relu().sum();
            assertFalse(y.requiresGrad());
            assertTrue(y.isLeaf());
            try (var inner = Grad.enabled()) {
                assertTrue(w.mul(2f).requiresGrad());
            }
            assertFalse(Grad.isEnabled(), "closing the inner scope restores the outer one");
        }
        assertTrue(Grad.isEnabled());
        assertTrue(w.matmul(w).requiresGrad());
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        x.mul(x).sum().backward();        // d/dx Σ x² = 2x
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().data());
        x.mul(3f).sum().backward();       // + 3
        assertArrayEquals(new float[] {5, 7, 9}, x.grad().data());
        x.zeroGrad();
        assertArrayEquals(new float[] {0, 0, 0}, x.grad().data());
    }

    @Test
    void onlyLeavesKeepGradientsAndConstantsGetNone() {
        Tensor x = Tensor.of(new float[] {1, -2}, 2).requiresGrad(true);
        Tensor c = Tensor.of(new float[] {3, 4}, 2);
        Tensor h = x.mul(c);
        h.relu().sum().backward();
        assertArrayEquals(new float[] {3, 0}, x.grad().data());
        assertNull(c.grad());
        assertNull(h.grad(), "intermediate gradients are freed after the pass");
        assertFalse(c.requiresGrad());
        assertEquals("mul", h.op());
    }

    @Test
    void detachAndReshapeShareStorage() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor d = x.detach();
        assertSame(x.data(), d.data());
        assertFalse(d.requiresGrad());
        Tensor r = x.reshape(3, 2);
        assertSame(x.data(), r.data());
        assertArrayEquals(new int[] {3, 2}, r.shape());
        assertArrayEquals(new int[] {6}, x.reshape(-1).shape());
    }

    /** A chain of 20,000 ops backpropagates without overflowing the stack (the topological sort is iterative). */
    @BackendTest
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.of(new float[] {1f}, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) y = y.add(0.001f);
        y.sum().backward();
        assertEquals(1f, x.grad().data()[0]);
    }

    /** A diamond: x feeds two branches that meet again; x's gradient is the sum of both paths. */
    @BackendTest
    void diamondGraphSumsBothPaths() {
        Tensor x = Tensor.of(new float[] {0.5f, -1.5f}, 1, 2).requiresGrad(true);
        Tensor a = x.mul(2f), b = x.exp();
        a.add(b).mul(a).sum().backward();
        // f = (2x + eˣ)·2x → f' = (2 + eˣ)·2x + (2x + eˣ)·2
        for (int i = 0; i < 2; i++) {
            double v = x.data()[i];
            double expected = (2 + Math.exp(v)) * 2 * v + (2 * v + Math.exp(v)) * 2;
            assertEquals(expected, x.grad().data()[i], 1e-5);
        }
    }

    @Test
    void argmaxAndItem() {
        Tensor t = Tensor.of(new float[][] {{0, 3, 1}, {5, -1, 2}});
        assertArrayEquals(new int[] {1, 0}, t.argmaxRows());
        assertEquals(3f, t.get(0, 1));
        assertEquals(10f, t.sum().item());
        assertTrue(t.toString().startsWith("Tensor(2, 3)"));
    }
}
