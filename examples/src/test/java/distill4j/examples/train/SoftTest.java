package distill4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.Tensor;
import distill4j.engine.distill.SoftTargets;
import distill4j.engine.optim.Schedule;
import distill4j.examples.cli.Progress;
import distill4j.examples.data.IdxData;
import distill4j.examples.data.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Soft targets carry their T, and the trainer refuses a student loss at another T (T enters once). */
class SoftTest {
    static final long SEED = 4242L;

    @TempDir
    Path dir;

    @Test
    void softTargetsAreTheEnginesAndTheirTemperatureMustMatchTheLoss() throws Exception {
        Synthetic.write(dir.resolve("d"), 120, 20, 6, SEED, false);
        IdxData.Split split = IdxData.load(dir.resolve("d"));
        Net teacher = new Net(new int[] {36, 8, 8, 10}, Net.Options.plain(SEED));
        float[] logits = Eval.logits(teacher, split.train());
        Soft soft = Soft.of(logits, 10, 4f);
        assertArrayEquals(SoftTargets.fromLogits(Tensor.of(logits.clone(), 120, 10), 4f).data(), soft.probabilities(),
                "the engine's soft targets (seed " + SEED + ")");
        var plan = new Trainer.Plan("mismatch", 1, 32, Schedule.constant(0.1f), Schedule.constant(0.5f), 0,
                Targets.distill(20f, 1f), SEED);
        Progress quiet = new Progress(new PrintStream(new ByteArrayOutputStream()), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(quiet).train(plan,
                new Net(new int[] {36, 8, 8, 10}, Net.Options.plain(SEED)), "net", split.train(), soft, split.test(), dir.resolve("m")));
        assertTrue(e.getMessage().contains("T = 4.0") && e.getMessage().contains("T = 20.0"), e.getMessage());
        // T is checked by the engine alone
        assertThrows(IllegalArgumentException.class, () -> Soft.of(logits, 10, 0f));
        assertThrows(IllegalArgumentException.class, () -> Targets.distill(-1f, 1f));
    }

    /** A diverged model stops the run with a message that names it, its checkpoint and the options to change. */
    @Test
    void aDivergedModelIsNamedWithItsCheckpointAndTheFix() throws Exception {
        Synthetic.write(dir.resolve("d"), 120, 20, 6, SEED, false);
        IdxData.Split split = IdxData.load(dir.resolve("d"));
        float[] logits = Eval.logits(new Net(new int[] {36, 8, 8, 10}, Net.Options.plain(SEED)), split.train());
        Soft soft = Soft.of(logits, 10, 20f);
        var plan = new Trainer.Plan("wild", 3, 32, Schedule.constant(1e30), Schedule.constant(0.5f), 0,
                Targets.distill(20f, 1f), SEED);
        Progress quiet = new Progress(new PrintStream(new ByteArrayOutputStream()), false);
        Trainer.Diverged e = assertThrows(Trainer.Diverged.class, () -> new Trainer(quiet).train(plan,
                new Net(new int[] {36, 8, 8, 10}, Net.Options.plain(SEED)), "net", split.train(), soft, split.test(), dir.resolve("w")));
        assertTrue(e.getMessage().startsWith("wild diverged in epoch 1") && e.getMessage().contains(dir.resolve("w").toString())
                && e.getMessage().contains("--student-lr") && e.getMessage().contains("--temperature"), e.getMessage());
        assertTrue(distill4j.examples.Main.describe(e).equals(e.getMessage()), "shown without a Java exception name");
    }
}
