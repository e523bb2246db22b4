package distill4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.optim.Schedule;
import distill4j.examples.cli.Progress;
import distill4j.examples.data.Dataset;
import distill4j.examples.data.IdxData;
import distill4j.examples.data.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Trainer#earlyStopping}: it stops once {@code patience} epochs bring no fewer evaluation errors,
 * returns the best epoch's weights, and a run interrupted and resumed stops at the same epoch with the
 * same weights.
 */
class EarlyStoppingTest {
    static final long SEED = 41L;
    static final int PATIENCE = 2;

    @TempDir Path dir;

    private static Net net() { return new Net(new int[] {36, 40, 10}, Net.Options.plain(SEED)); }

    private static Progress quiet() { return new Progress(new PrintStream(new ByteArrayOutputStream()), false); }

    @Test
    void stopsAfterPatienceKeepsTheBestEpochAndResumesToTheSameStop() throws IOException {
        Synthetic.write(dir.resolve("data"), 60, 200, 6, SEED, false);
        IdxData.Split split = IdxData.load(dir.resolve("data"));
        Dataset train = split.train(), dev = split.test();
        // a high constant learning rate on 60 examples: it overfits and dev errors stop improving early
        var plan = new Trainer.Plan("es", 60, 10, Schedule.constant(0.3), Schedule.constant(0.9), 0, Targets.hard(), SEED);
        Net a = net();
        List<Trainer.Epoch> h = new Trainer(quiet()).earlyStopping(PATIENCE).train(plan, a, "n", train, null, dev, dir.resolve("a"));
        int best = Trainer.bestEpoch(h);
        assertTrue(h.size() < 60, "seed " + SEED + ": did not stop early, ran " + h.size());
        assertEquals(best + PATIENCE, h.size(), "stops exactly PATIENCE epochs after the best");
        for (Trainer.Epoch e : h) assertTrue(e.testErrors() >= h.get(best - 1).testErrors());
        assertEquals(h.get(best - 1).testErrors(), Eval.errors(a, dev), "the returned net holds the best epoch's weights");
        assertTrue(Files.exists(dir.resolve("a").resolve(Files.list(dir.resolve("a")).findFirst().orElseThrow().getFileName())
                .resolve("best.safetensors")));

        Net b = net();
        assertThrows(Trainer.Interrupted.class,
                () -> new Trainer(quiet()).earlyStopping(PATIENCE).stopAfterEpochs(1).train(plan, b, "n", train, null, dev, dir.resolve("b")));
        Net c = net();
        List<Trainer.Epoch> h2 = new Trainer(quiet()).earlyStopping(PATIENCE).train(plan, c, "n", train, null, dev, dir.resolve("b"));
        assertEquals(h.size(), h2.size());
        assertEquals(a.checksum(), c.checksum(), "seed " + SEED);
        // loaded again when finished: no training, the best weights
        Net d = net();
        List<Trainer.Epoch> h3 = new Trainer(quiet()).earlyStopping(PATIENCE).train(plan, d, "n", train, null, dev, dir.resolve("b"));
        assertEquals(h.size(), h3.size());
        assertEquals(a.checksum(), d.checksum());
        assertArrayEquals(Eval.logits(a, dev), Eval.logits(d, dev));
    }
}
