package distill4j.examples.mnist;

import distill4j.examples.data.Synthetic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.io.StateDict;
import distill4j.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of a run: the tool runs in a child JVM that is killed (destroyForcibly, i.e.
 * kill -9 on Unix) as soon as its first checkpoint appears; running the same command again resumes and
 * must end with exactly the weights of an uninterrupted run.
 */
class KillResumeTest {
    static final long SEED = 11L;

    @TempDir
    Path dir;

    @Test
    void killedRunResumesToTheSameWeights() throws Exception {
        Path data = dir.resolve("idx");
        Synthetic.write(data, 2000, 100, 12, SEED, false);
        List<String> common = List.of("mnist", "--quick", "--data", data.toString(), "--only", "baseline",
                "--student-epochs", "6", "--seed", "5");

        Path straight = dir.resolve("straight");
        List<String> a = new ArrayList<>(common);
        a.addAll(List.of("--out", straight.toString()));
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        assertEquals(0, Main.run(a.toArray(String[]::new), sink, false));

        Path killed = dir.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
                // the child must compute with the same kernels as this JVM for bit-identical weights
                "-D" + distill4j.kernels.Backends.PROPERTY + "=" + distill4j.kernels.Backends.get().name(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(common);
        cmd.addAll(List.of("--out", killed.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path models = killed.resolve("models").resolve("baseline");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (checkpoint(models) == null && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(2);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        Path ckpt = checkpoint(models);
        assertTrue(ckpt != null, "the child wrote no checkpoint: " + Files.readString(dir.resolve("child.log")));
        long done = StateDict.read(ckpt).scalar("counter.epochs_done");
        assertTrue(done >= 1 && done < 6, "killed after " + done + " of 6 epochs: the kill must land mid-run");

        // what a kill in the middle of an atomic write leaves: the engine's temporary beside the checkpoint
        Path stale = ckpt.resolveSibling(".checkpoint.safetensors.5eed0fdeadbeef.tmp");
        Files.write(stale, new byte[] {1, 2, 3});

        List<String> b = new ArrayList<>(common);
        b.addAll(List.of("--out", killed.toString()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, Main.run(b.toArray(String[]::new), new PrintStream(log), false));
        assertTrue(log.toString().contains("resuming after epoch " + done), log.toString());
        assertTrue(!Files.exists(stale), "the stale temporary must be removed on start");
        assertTrue(log.toString().contains("removed 1 temporary file left in " + killed), log.toString());

        StateDict x = StateDict.read(checkpoint(straight.resolve("models").resolve("baseline")));
        StateDict y = StateDict.read(ckpt);
        assertEquals(x.arrays(), y.arrays(), "weights and momentum buffers after kill + resume (seed " + SEED + ")");
        assertEquals(x.scalars(), y.scalars());
    }

    /** The checkpoint under models/NAME/CONFIG/, or null while there is none. */
    static Path checkpoint(Path modelDir) throws java.io.IOException {
        if (!Files.isDirectory(modelDir)) return null;
        try (var s = Files.list(modelDir)) {
            return s.map(d -> d.resolve("checkpoint.safetensors")).filter(Files::exists).findFirst().orElse(null);
        }
    }
}
