package distill4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * {@link Trainer#earlyStopping(int, Trainer.Stop)} on {@link Trainer.Stop#heldOutLoss}: a student on
 * soft targets plus labels (the "distilled-hard" loss) stops {@code patience} epochs after the epoch of
 * lowest held-out loss, returns that epoch's weights, and a run interrupted twice and resumed stops at
 * the same epoch with the same weights as an uninterrupted one.
 */
class HeldOutStoppingTest {
    static final long SEED = 43L;
    static final int PATIENCE = 3, MAX_EPOCHS = 60;
    static final float T = 2f, ALPHA = 0.5f;

    @TempDir Path dir;

    private static Net net() { return new Net(new int[] {36, 40, 10}, Net.Options.plain(SEED)); }

    private static Progress quiet() { return new Progress(new PrintStream(new ByteArrayOutputStream()), false); }

    @Test
    void stopsPatienceEpochsAfterTheLowestHeldOutLossKeepsItAndResumesToTheSameStop() throws IOException {
        Synthetic.write(dir.resolve("data"), 140, 200, 6, SEED, false);
        IdxData.Split split = IdxData.load(dir.resolve("data"));
        Dataset all = split.train(), test = split.test();
        Dataset transfer = all.range("transfer", 0, 60), held = all.range("held-out", 60, 140);
        // the teacher: a net trained for two epochs on every training image; its soft targets at T
        Net teacher = net();
        new Trainer(quiet()).train(new Trainer.Plan("teacher", 2, 10, Schedule.constant(0.1), Schedule.constant(0.5), 0,
                Targets.hard(), SEED), teacher, "t", all, null, test, dir.resolve("teacher"));
        Soft soft = Soft.of(Eval.logits(teacher, transfer), 10, T), heldSoft = Soft.of(Eval.logits(teacher, held), 10, T);
        Targets targets = Targets.distill(T, ALPHA);
        // a high constant learning rate on 60 examples: the held-out loss turns up after a few epochs
        var plan = new Trainer.Plan("held", MAX_EPOCHS, 10, Schedule.constant(0.3), Schedule.constant(0.9), 0, targets, SEED);
        Trainer.Stop stop = Trainer.Stop.heldOutLoss(held, heldSoft, targets);

        Net a = net();
        List<Trainer.Epoch> h = new Trainer(quiet()).earlyStopping(PATIENCE, stop).train(plan, a, "n", transfer, soft, test, dir.resolve("a"));
        int best = Trainer.bestEpoch(h, stop);
        assertTrue(h.size() < MAX_EPOCHS, "seed " + SEED + ": did not stop early, ran " + h.size());
        assertEquals(best + PATIENCE, h.size(), "stops exactly PATIENCE epochs after the best");
        double lowest = h.get(best - 1).heldOutLoss();
        for (Trainer.Epoch e : h) {
            assertFalse(Double.isNaN(e.heldOutLoss()), "every epoch measures the held-out loss");
            if (e.epoch() < best) assertTrue(e.heldOutLoss() > lowest, "earlier epochs are worse: " + e);
            else assertTrue(e.heldOutLoss() >= lowest, "later epochs are no better: " + e);
        }
        assertEquals(lowest, Eval.loss(a, held, targets, heldSoft.probabilities()), "the returned net holds the best epoch's weights");
        assertEquals(h.get(best - 1).testErrors(), Eval.errors(a, test), "the test errors reported are the chosen epoch's");
        // the test errors did not choose: the stop is where the held-out loss says, wherever the test errors are lowest
        assertEquals(best, Trainer.bestEpoch(h, stop));

        // interrupted after 2 epochs, then after 3 more (past the best when it is early), then to the end
        Net b = net();
        assertThrows(Trainer.Interrupted.class, () -> new Trainer(quiet()).earlyStopping(PATIENCE, stop).stopAfterEpochs(2)
                .train(plan, b, "n", transfer, soft, test, dir.resolve("b")));
        Net b2 = net();
        assertThrows(Trainer.Interrupted.class, () -> new Trainer(quiet()).earlyStopping(PATIENCE, stop).stopAfterEpochs(best)
                .train(plan, b2, "n", transfer, soft, test, dir.resolve("b")));
        Net c = net();
        List<Trainer.Epoch> h2 = new Trainer(quiet()).earlyStopping(PATIENCE, stop).train(plan, c, "n", transfer, soft, test, dir.resolve("b"));
        assertEquals(h.size(), h2.size(), "the resumed run stops at the same epoch");
        assertEquals(best, Trainer.bestEpoch(h2, stop));
        for (int i = 0; i < h.size(); i++) assertEquals(h.get(i).heldOutLoss(), h2.get(i).heldOutLoss(), "epoch " + (i + 1));
        assertEquals(a.checksum(), c.checksum(), "seed " + SEED);
        // loaded again when finished: no training, the best weights
        Net d = net();
        assertEquals(h.size(), new Trainer(quiet()).earlyStopping(PATIENCE, stop).train(plan, d, "n", transfer, soft, test, dir.resolve("b")).size());
        assertEquals(a.checksum(), d.checksum());

        // the criterion is part of the configuration: early stopping on evaluation errors is another model
        new Trainer(quiet()).earlyStopping(PATIENCE).train(plan, net(), "n", transfer, soft, test, dir.resolve("b"));
        try (var configs = Files.list(dir.resolve("b"))) {
            assertEquals(2, configs.count());
        }

        // patience counted from a later epoch (a schedule still ramping up): the same training, no stop
        // before countFrom + PATIENCE, then PATIENCE epochs after the later of countFrom and the best
        int countFrom = best + PATIENCE + 2;
        List<Trainer.Epoch> h3 = new Trainer(quiet()).earlyStopping(PATIENCE, stop, countFrom)
                .train(plan, net(), "n", transfer, soft, test, dir.resolve("b"));
        int best3 = Trainer.bestEpoch(h3, stop);
        assertEquals(Math.min(MAX_EPOCHS, Math.max(countFrom, best3) + PATIENCE), h3.size(), "seed " + SEED + ", best " + best3);
        assertTrue(h3.size() >= countFrom + PATIENCE, "seed " + SEED + ": stopped at " + h3.size());
        for (int i = 0; i < h.size(); i++) assertEquals(h.get(i).heldOutLoss(), h3.get(i).heldOutLoss(), "epoch " + (i + 1));
        try (var configs = Files.list(dir.resolve("b"))) {
            assertEquals(3, configs.count(), "countFrom is part of the configuration");
        }
        assertThrows(IllegalArgumentException.class, () -> new Trainer(quiet()).earlyStopping(PATIENCE, stop, -1));
    }

    @Test
    void theHeldOutLossIsTheTrainingLossInEvalMode() throws IOException {
        Synthetic.write(dir.resolve("data"), 50, 20, 6, SEED, false);
        Dataset d = IdxData.load(dir.resolve("data")).train();
        Net n = net();
        Soft soft = Soft.of(Eval.logits(net(), d), 10, T);
        // a soft-only loss of the net against its own soft targets at T is KL(p ‖ p) = 0
        assertEquals(0.0, Eval.loss(n, d, Targets.distill(T, 1f), soft.probabilities()), 1e-4);
        // hard labels only: the mean cross-entropy, positive
        assertTrue(Eval.loss(n, d, Targets.hard(), null) > 0);
        assertThrows(IllegalArgumentException.class, () -> Trainer.Stop.heldOutLoss(d, null, Targets.distill(T, 1f)));
        assertThrows(IllegalArgumentException.class, () -> Trainer.Stop.heldOutLoss(d.range("none", 0, 0), null, Targets.hard()));
    }
}
