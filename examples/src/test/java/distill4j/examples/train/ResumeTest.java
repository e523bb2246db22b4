package distill4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.io.NamedArray;
import distill4j.engine.io.StateDict;
import distill4j.engine.optim.Schedule;
import distill4j.examples.cli.Progress;
import distill4j.examples.data.Dataset;
import distill4j.examples.data.IdxData;
import distill4j.examples.data.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/**
 * N epochs straight vs k epochs, an interruption, and a resumed run: the final state (weights, momentum
 * buffers, dropout step counters) must be bit-identical, with dropout, jitter, max-norm and a momentum
 * schedule all active so that every piece of training state matters.
 */
class ResumeTest {
    static final long SEED = 99L;

    @TempDir
    Path dir;

    private static Net net() {
        return new Net(new int[] {36, 24, 24, 10}, new Net.Options(0.2f, 0.5f, 1.5f, true, SEED));
    }

    private static Progress quiet() {
        return new Progress(new PrintStream(new ByteArrayOutputStream()), false);
    }

    @Test
    void interruptedAndResumedRunEndsWithTheSameState() throws IOException {
        String impl = "net";
        Path data = dir.resolve("data");
        Synthetic.write(data, 230, 50, 6, SEED, false);
        IdxData.Split split = IdxData.load(data);
        Dataset train = split.train(), test = split.test();
        // soft targets too, so the distillation path is covered: α = 0.7 at T = 3
        float[] logits = new float[train.count() * 10];
        java.util.SplittableRandom r = new java.util.SplittableRandom(SEED);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian() * 2;
        Soft soft = Soft.of(logits, 10, 3f);
        var plan = new Trainer.Plan("resume", 5, 32, Schedule.exponential(0.2f, 0.9), Schedule.linear(0.5f, 0.9f, 3), 2,
                Targets.distill(3f, 0.7f), SEED);

        Net straight = net();
        List<Trainer.Epoch> h1 = new Trainer(quiet()).train(plan, straight, impl, train, soft, test, dir.resolve("a"));

        Net first = net();
        assertThrows(Trainer.Interrupted.class,
                () -> new Trainer(quiet()).stopAfterEpochs(2).train(plan, first, impl, train, soft, test, dir.resolve("b")));
        Net resumed = net(); // a fresh process: new net from the seed, state from the checkpoint
        List<Trainer.Epoch> h2 = new Trainer(quiet()).train(plan, resumed, impl, train, soft, test, dir.resolve("b"));

        assertEquals(5, h1.size());
        assertEquals(5, h2.size());
        for (int e = 0; e < 5; e++) {
            assertEquals(h1.get(e).testErrors(), h2.get(e).testErrors(), "epoch " + (e + 1));
            assertEquals(h1.get(e).trainLoss(), h2.get(e).trainLoss(), 0.0, "epoch " + (e + 1));
        }
        StateDict a = straight.state(), b = resumed.state();
        assertEquals(a.arrays().keySet(), b.arrays().keySet());
        for (NamedArray x : a.arrays().values()) {
            assertArrayEquals(x.data(), b.array(x.name()).data(), impl + ": " + x.name() + " differs after resume (seed " + SEED + ")");
        }
        assertEquals(a.scalars(), b.scalars());
        assertTrue(a.scalars().values().stream().anyMatch(v -> v > 0), "dropout step counters must be saved: " + a.scalars());
        assertEquals(straight.checksum(), resumed.checksum());

        // a finished run is loaded, not retrained; a changed configuration trains a new model beside it
        Net again = net();
        new Trainer(quiet()).train(plan, again, impl, train, soft, test, dir.resolve("a"));
        assertEquals(straight.checksum(), again.checksum());
        var other = new Trainer.Plan("resume", 6, 32, plan.lr(), plan.momentum(), 2, plan.targets(), SEED);
        assertThrows(Trainer.Interrupted.class,
                () -> new Trainer(quiet()).stopAfterEpochs(1).train(other, net(), impl, train, soft, test, dir.resolve("a")));
        try (var runs = java.nio.file.Files.list(dir.resolve("a"))) {
            assertEquals(2, runs.count(), "one directory per configuration");
        }
        Net still = net();
        new Trainer(quiet()).train(plan, still, impl, train, soft, test, dir.resolve("a"));
        assertEquals(straight.checksum(), still.checksum());
    }

    @Test
    void warmupRampsTheFirstEpochOnlyAndIsPartOfTheConfiguration() throws IOException {
        var plain = new Trainer.Plan("w", 3, 32, Schedule.exponential(0.2f, 0.5), Schedule.constant(0.5), 0, Targets.hard(), SEED);
        var warm = plain.withWarmup();
        // epoch 0: lr(0)·(b + 1)/B, reaching lr(0) on its last batch; later epochs: the schedule
        assertEquals(0.2f / 4, warm.lrAt(0, 0, 4), 1e-7f);
        assertEquals(0.2f * 3 / 4, warm.lrAt(0, 2, 4), 1e-7f);
        assertEquals(0.2f, warm.lrAt(0, 3, 4), 1e-7f);
        assertEquals(0.1f, warm.lrAt(1, 0, 4), 1e-7f);
        assertEquals(0.2f, plain.lrAt(0, 0, 4), 1e-7f);
        assertTrue(warm.describe().contains("warm-up") && !plain.describe().contains("warm-up"), warm.describe());

        Path data = dir.resolve("data");
        Synthetic.write(data, 230, 50, 6, SEED, false);
        IdxData.Split split = IdxData.load(data);
        Net a = net(), b = net();
        new Trainer(quiet()).train(plain, a, "net", split.train(), null, split.test(), dir.resolve("w"));
        new Trainer(quiet()).train(warm, b, "net", split.train(), null, split.test(), dir.resolve("w"));
        try (var runs = java.nio.file.Files.list(dir.resolve("w"))) {
            assertEquals(2, runs.count(), "a warm-up run is a configuration of its own");
        }
        assertTrue(!a.checksum().equals(b.checksum()), "warm-up must change the first epoch's steps");
    }
}
