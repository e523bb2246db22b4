package distill4j.examples.specialists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.io.Json;
import distill4j.examples.Main;
import distill4j.examples.speech.PhoneStates;
import distill4j.examples.speech.SpeechTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./distill4j specialists --quick} end to end on a quick corpus built here by flite (skipped, with
 * the install command, when the Debian packages are missing and the test is not root), with small
 * models: interrupted and resumed, then run again, which must load every finished model and give the
 * same report.
 */
class SpecialistsPipelineTest {
    static final long SEED = 5;
    @TempDir static Path shared;

    @BeforeAll
    static void installOrSkip() throws IOException {
        List<String> missing = SpeechTools.missingAfterInstallIfAllowed(System.out);
        Assumptions.assumeTrue(missing.isEmpty(), "specialists pipeline test skipped: missing " + missing
                + " and not root to install them; install with: sudo " + SpeechTools.APT_COMMAND);
    }

    static String[] args(Path out, String... more) {
        String[] base = {"specialists", "--quick", "--corpus", shared.resolve("corpus").toString(), "--out", out.toString(),
            "--seed", Long.toString(SEED), "--specialists", "4", "--overlap", "2", "--specialist-epochs", "2", "--epochs", "2",
            "--hidden", "48", "--layers", "1"};
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static String run(String[] args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        return text;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    @Test
    void quickPipelineEndToEndAndResumes() throws Exception {
        Path out = shared.resolve("out");
        long t0 = System.nanoTime();
        // killed after the generalist's first epoch (test hook), then run again: it resumes
        assertThrows(distill4j.examples.train.Trainer.Interrupted.class, () -> run(args(out, "--stop-after-epochs", "1")));
        String first = run(args(out));
        System.out.printf("specialists pipeline (corpus build + experiments): %.1f s, seed %d%n", (System.nanoTime() - t0) / 1e9, SEED);
        assertTrue(first.contains("generalist: resuming after epoch 1 of 2"), first);
        String md = Files.readString(out.resolve("specialists.md"));
        for (String h : new String[] {"Not the paper's data", "## Table 3", "## Table 4", "25.0%", "26.1%", "43.1%", "45.9%",
                "test-voice", "Clusters of confusable classes", "specialist-soft-1", "soft targets of the generalist"}) {
            assertTrue(md.contains(h), "specialists.md lacks '" + h + "':\n" + md);
        }
        Map<String, Object> json = map(Json.parse(Files.readString(out.resolve("specialists.json"))));
        // 4 balanced clusters of ⌈124/4⌉ = 31 classes grown to 2 × 31 (overlap 2), covering every class, named by HMM states
        List<?> clusters = (List<?>) json.get("clusters");
        assertEquals(4, clusters.size());
        int[] times = new int[PhoneStates.count()];
        for (Object c : clusters) {
            List<?> states = (List<?>) map(c).get("states");
            assertEquals(62, states.size(), "cluster " + map(c).get("specialist"));
            for (Object st : states) times[PhoneStates.id((String) st)]++;
        }
        for (int c = 0; c < times.length; c++) assertTrue(times[c] >= 1, "class " + PhoneStates.NAMES.get(c) + " in no cluster");
        List<?> variants = (List<?>) json.get("variants");
        assertEquals(2, variants.size(), "hard and soft-target specialists");
        for (Object v : variants) {
            assertEquals(4, ((List<?>) map(v).get("specialists")).size());
            for (String split : new String[] {"dev", "test-speakers", "test-voice"}) {
                Map<String, Object> x = map(map(map(v).get("splits")).get(split));
                double g = ((Number) x.get("generalist_accuracy")).doubleValue(), c = ((Number) x.get("combined_accuracy")).doubleValue();
                assertTrue(g > 0.02 && g <= 1 && c > 0.02 && c <= 1, split + ": " + g + " / " + c + " (chance is under 1%)");
                // with top-1, every frame has at least one active specialist (every class is in a cluster)
                assertTrue(((Number) x.get("active_per_frame")).doubleValue() >= 1.0, split + " " + x);
                int frames = 0;
                for (Object o : map(x.get("by_coverage")).values()) frames += ((Number) map(o).get("frames")).intValue();
                assertEquals(((Number) x.get("frames")).intValue(), frames);
            }
        }
        assertTrue(Files.size(out.resolve("specialists-coverage.png")) > 1000);

        // the same command again: nothing retrained, the same report
        String second = run(args(out));
        assertTrue(second.contains("specialist-1: finished earlier") && second.contains("generalist: finished earlier"), second);
        assertEquals(md.replaceAll("wall time \\d+ s", ""), Files.readString(out.resolve("specialists.md")).replaceAll("wall time \\d+ s", ""));
    }

    @Test
    void helpAndBadOptions() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"specialists", "--help"}, new PrintStream(buf, true, StandardCharsets.UTF_8), false));
        String help = buf.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--specialists") && help.contains("--overlap") && help.contains("dustbin"), help);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"specialists", "--specialists", "4", "--overlap", "5"}, System.out, false));
        assertTrue(e.getMessage().contains("--overlap 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"specialists", "--specialists", "0"}, System.out, false));
        assertTrue(e.getMessage().contains("--specialists 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"specialists", "--temperature", "0"}, System.out, false));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"specialists", "--bogus"}, System.out, false));
    }
}
