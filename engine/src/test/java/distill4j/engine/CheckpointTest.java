package distill4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import distill4j.engine.loss.Losses;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.Adam;
import distill4j.engine.optim.Optimizer;
import distill4j.engine.optim.SGD;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final Tensor X;
    private static final int[] Y = {0, 1, 2, 1, 0, 2, 2, 1};

    static {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[8 * 5];
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * rng.nextDouble() - 1);
        X = Tensor.of(x, 8, 5);
    }

    private static Sequential model() {
        return MLP.of(5, 12, 3).dropout(0.1f, 0.5f).seed(11).build();
    }

    private static void train(Sequential m, Optimizer opt, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Losses.crossEntropy(m.forward(X), Y).backward();
            opt.step();
        }
    }

    /** 3 steps, save to a safetensors file, load into fresh objects, 2 more steps = 5 uninterrupted steps, bit for bit. */
    @Test
    void resumingFromAFileContinuesExactly(@TempDir Path dir) throws Exception {
        for (String kind : new String[] {"sgd", "adam"}) {
            Sequential full = model();
            train(full, optimizer(kind, full), 5);

            Sequential first = model();
            Optimizer opt = optimizer(kind, first);
            train(first, opt, 3);
            Path file = dir.resolve(kind + ".safetensors");
            Checkpoint.save(file, first, opt, Map.of("epoch", 3L));

            Sequential resumed = MLP.of(5, 12, 3).dropout(0.1f, 0.5f).seed(99).build(); // other weights, overwritten
            Optimizer opt2 = optimizer(kind, resumed);
            Map<String, Long> counters = Checkpoint.load(file, resumed, opt2);
            assertEquals(Map.of("epoch", 3L), counters);
            train(resumed, opt2, 2);
            for (String k : full.namedParameters().keySet()) {
                assertArrayEquals(full.namedParameters().get(k).data(), resumed.namedParameters().get(k).data(), kind + " " + k);
            }
        }
    }

    @Test
    void mismatchedModelIsRefused() {
        Sequential m = model();
        var state = Checkpoint.capture(m, null, Map.of());
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(state, MLP.of(5, 13, 3).dropout(0.1f, 0.5f).build(), null));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(state, MLP.of(5, 12, 3).build(), null));
    }

    private static Optimizer optimizer(String kind, Sequential m) {
        return kind.equals("sgd") ? new SGD(m.namedParameters(), 0.1f).momentum(0.9f) : new Adam(m.namedParameters(), 0.01f);
    }
}
