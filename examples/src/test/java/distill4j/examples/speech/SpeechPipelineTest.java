package distill4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.io.Json;
import distill4j.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./distill4j speech --quick} end to end on the quick corpus built here by flite (skipped, with the
 * install command, when the Debian packages are missing and the test is not root; see
 * {@link SpeechCorpusTest}), with small models and few epochs; then the same command again, which must
 * load every finished model and give the same report; then damaged files, which must be refused with a
 * message naming them while everything else stays as it was.
 */
class SpeechPipelineTest {
    static final long SEED = 5;
    @TempDir static Path shared;

    @BeforeAll
    static void installOrSkip() throws IOException {
        List<String> missing = SpeechTools.missingAfterInstallIfAllowed(System.out);
        Assumptions.assumeTrue(missing.isEmpty(), "speech pipeline test skipped: missing " + missing
                + " and not root to install them; install with: sudo " + SpeechTools.APT_COMMAND);
    }

    static String[] args(Path out) {
        return new String[] {"speech", "--quick", "--corpus", shared.resolve("corpus").toString(), "--out", out.toString(),
            "--seed", Long.toString(SEED), "--members", "2", "--epochs", "2", "--subset-epochs", "6", "--hidden", "48",
            "--layers", "1", "--temperatures", "1,5"};
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
    void quickPipelineEndToEndResumesAndRefusesDamagedFiles() throws Exception {
        Path out = shared.resolve("out");
        long t0 = System.nanoTime();
        // killed after the first epoch of this process (test hook), then run again: it resumes
        String[] interrupted = java.util.Arrays.copyOf(args(out), args(out).length + 2);
        interrupted[interrupted.length - 2] = "--stop-after-epochs";
        interrupted[interrupted.length - 1] = "1";
        assertThrows(distill4j.examples.train.Trainer.Interrupted.class, () -> run(interrupted));
        String first = run(args(out));
        assertTrue(first.contains("member-1: resuming after epoch 1 of 2"), first);
        System.out.printf("speech pipeline (corpus build + experiments): %.1f s, seed %d%n", (System.nanoTime() - t0) / 1e9, SEED);
        assertTrue(first.contains("member-2"), first);
        String md = Files.readString(out.resolve("report.md"));
        for (String h : new String[] {"synthetic-speech substitute", "Not the paper's data", "## Table 1 (§4)", "2× ensemble",
                "58.9%", "61.1% (10×)", "60.8%", "share of the ensemble's gain", "| 1 |", "| 5 |", "## §6", "67.3%", "44.5%",
                "65.4%", "57.0%", "early stopping on dev", "test-voice"}) {
            assertTrue(md.contains(h), "report.md lacks '" + h + "':\n" + md);
        }
        Map<String, Object> json = map(Json.parse(Files.readString(out.resolve("report.json"))));
        Map<String, Object> t1 = map(json.get("table1"));
        assertEquals(2, ((List<?>) t1.get("members")).size());
        assertEquals(2, ((List<?>) t1.get("distilled")).size());
        float t = ((Number) t1.get("chosen_temperature")).floatValue();
        assertTrue(t == 1f || t == 5f, "T chosen among those tried: " + t);
        Map<String, Object> s6 = map(json.get("section6"));
        int k = ((Number) s6.get("subset_frames")).intValue();
        assertTrue(k > 400 && k < 700, "3% of ~18k frames: " + k);
        int run = ((Number) map(s6.get("hard_early_stopping")).get("epochs_run")).intValue();
        assertTrue(run >= 1 && run <= 6, "hard 3% model ran " + run + " epochs");
        for (String split : new String[] {"dev", "test-speakers", "test-voice"}) {
            double a = ((Number) map(t1.get("ensemble")).get(split)).doubleValue();
            assertTrue(a > 0.02 && a <= 1, split + ": ensemble accuracy " + a + " (chance is under 1%)");
        }
        assertTrue(Files.size(out.resolve("dev-accuracy.png")) > 1000);
        List<Path> logits;
        try (Stream<Path> s = Files.list(out.resolve("cache"))) {
            logits = s.filter(p -> p.getFileName().toString().startsWith("logits-")).sorted().toList();
        }
        assertEquals(2 * 4, logits.size(), "2 members × (train, dev, test-speakers, test-voice) logits cached: " + logits);

        // the same command again: nothing retrained, the same report
        String second = run(args(out));
        assertTrue(second.contains("member-1: finished earlier"), second);
        assertTrue(!second.contains("member-1     1/2"), "a finished model was retrained:\n" + second);
        assertEquals(md.replaceAll("wall time \\d+ s", ""), Files.readString(out.resolve("report.md")).replaceAll("wall time \\d+ s", ""));

        // a damaged checkpoint: refused, naming the file; no other file touched
        Path ckpt;
        try (Stream<Path> s = Files.walk(out.resolve("models").resolve("member-2"))) {
            ckpt = s.filter(p -> p.getFileName().toString().equals("checkpoint.safetensors")).findFirst().orElseThrow();
        }
        Path other;
        try (Stream<Path> s = Files.walk(out.resolve("models").resolve("member-1"))) {
            other = s.filter(p -> p.getFileName().toString().equals("checkpoint.safetensors")).findFirst().orElseThrow();
        }
        byte[] otherBefore = Files.readAllBytes(other);
        byte[] good = Files.readAllBytes(ckpt);
        byte[] bad = good.clone();
        bad[bad.length - 10] ^= 0x40;
        Files.write(ckpt, bad);
        IOException e = assertThrows(IOException.class, () -> run(args(out)));
        assertTrue(e.getMessage().contains(ckpt.toString()) && e.getMessage().toLowerCase().contains("checksum"), e.getMessage());
        assertArrayEquals(bad, Files.readAllBytes(ckpt), "the damaged file is left for the user to inspect");
        assertArrayEquals(otherBefore, Files.readAllBytes(other), "another model's checkpoint was touched");
        Files.write(ckpt, good);

        // a damaged cache of member logits: the same
        Path cache = logits.get(0);
        byte[] cgood = Files.readAllBytes(cache);
        byte[] cbad = cgood.clone();
        cbad[cbad.length - 3] ^= 0x01;
        Files.write(cache, cbad);
        e = assertThrows(IOException.class, () -> run(args(out)));
        assertTrue(e.getMessage().contains(cache.toString()) && e.getMessage().toLowerCase().contains("checksum"), e.getMessage());
        assertArrayEquals(otherBefore, Files.readAllBytes(other));
        Files.write(cache, cgood);
        run(args(out)); // repaired: runs again
    }

    @Test
    void helpAndBadOptions() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"speech", "--help"}, new PrintStream(buf, true, StandardCharsets.UTF_8), false));
        String help = buf.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--temperatures") && help.contains("--members") && help.contains("speech-data"), help);
        assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"speech", "--members", "1"}, System.out, false));
        assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"speech", "--temperatures", "1,x"}, System.out, false));
        assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"speech", "--bogus"}, System.out, false));
    }
}
