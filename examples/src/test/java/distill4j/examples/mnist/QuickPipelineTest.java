package distill4j.examples.mnist;

import distill4j.examples.data.Synthetic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.examples.Main;
import distill4j.engine.io.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke test: the whole --quick pipeline (all seven experiments, report, plots) on tiny
 * synthetic IDX data written here (no network), with the epochs cut down; then the same command
 * again, which must load every finished model instead of retraining and give the same report.
 */
class QuickPipelineTest {
    static final long SEED = 7L;

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    @Test
    void quickPipelineRunsEndToEndAndIsIdempotent() throws Exception {
        Path data = dir.resolve("idx");
        Synthetic.write(data, 400, 120, 12, SEED, true);
        Path out = dir.resolve("out");
        String[] args = {"mnist", "--quick", "--data", data.toString(), "--out", out.toString(), "--seed", "3",
                "--teacher-epochs", "5", "--student-epochs", "2", "--sweep-epochs", "1", "--teacher-lr", "0.1", "--student-lr", "0.1",
                "--student-max-epochs", "6", "--student-patience", "2"};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, Main.run(args, new PrintStream(log, true, StandardCharsets.UTF_8), false));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("not the official MNIST files"), text);
        assertTrue(text.contains("teacher        5/5"), text);
        assertTrue(text.contains("idx (custom files): 10 classes"), "the log names the data set and its classes:\n" + text);

        String md = Files.readString(out.resolve("report.md"));
        for (String h : new String[] {"# idx: Hinton", "not the official MNIST files", "10 classes", "## Main result", "## Temperature",
                "## Transfer set without any example of class 3", "## Transfer set of classes 7 and 8 only", "## Teacher ensembles",
                "soft targets at T = 20"}) {
            assertTrue(md.contains(h), "report.md lacks '" + h + "':\n" + md);
        }
        // the paper's MNIST figures only beside the official MNIST files
        for (String h : new String[] {"| 67 |", "| 146 |", "| 74 |", "| paper |", "paper: test errors", "| 206 |", "47.3%"}) {
            assertTrue(!md.contains(h), "report.md on custom data shows the paper's '" + h + "':\n" + md);
        }
        Map<String, Object> report = map(Json.parse(Files.readString(out.resolve("report.json"))));
        Map<String, Object> results = map(report.get("results"));
        assertEquals(MnistExperiments.ALL, java.util.List.copyOf(results.keySet()));
        int testCount = 120;
        int teacherErrors = ((Number) map(results.get("teacher")).get("test_errors")).intValue();
        int baselineErrors = ((Number) map(results.get("baseline")).get("test_errors")).intValue();
        // the synthetic classes are easy (prototype + noise); chance would be ~90% errors
        assertTrue(teacherErrors < testCount / 2, "teacher errors " + teacherErrors + " (seed " + SEED + ")\n" + text);
        assertTrue(baselineErrors < testCount / 2, "baseline errors " + baselineErrors + " (seed " + SEED + ")");
        // the transfer-set errors: the teacher's from its cached logits, each student's from a pass over the set
        Map<String, Object> distilled = map(results.get("distilled"));
        int trainCount = 400;
        for (Object o : new Object[] {distilled.get("teacher_train_errors"), map(distilled.get("soft_only")).get("train_errors"),
                map(distilled.get("soft_and_hard")).get("train_errors")}) {
            int e = ((Number) o).intValue();
            assertTrue(e >= 0 && e < trainCount / 2, "transfer-set errors " + e + " of " + trainCount);
        }
        assertTrue(md.contains("un-jittered training images the soft targets come from, the teacher errs on "
                + distilled.get("teacher_train_errors")), md);
        // the distilled pair: trained without the 80 held-out images (a fifth of 400), stopped on their loss there
        assertEquals(320, ((Number) distilled.get("transfer_examples")).intValue());
        for (String k : new String[] {"soft_only", "soft_and_hard"}) {
            Map<String, Object> st = map(distilled.get(k));
            int chosen = ((Number) st.get("chosen_epoch")).intValue(), run = ((Number) st.get("epochs_run")).intValue();
            assertTrue(chosen >= 1 && chosen <= run && run <= 6 && (run == 6 || run == chosen + 2), st.toString());
            assertEquals(80, ((Number) st.get("held_out_examples")).intValue());
            java.util.List<?> hist = (java.util.List<?>) st.get("history");
            assertEquals(run, hist.size());
            assertEquals(st.get("held_out_loss"), map(hist.get(chosen - 1)).get("held_out_loss"));
            assertEquals(st.get("test_errors"), map(hist.get(chosen - 1)).get("test_errors"), "the test errors of the chosen epoch");
            assertTrue(md.contains(chosen + " (chosen on held-out loss; " + run + " run)"), md);
        }
        // the other students as before: the baseline on every training image for its epochs, no early stopping
        assertEquals(20, ((Number) map(results.get("baseline")).get("epochs")).intValue());
        assertTrue(!map(results.get("baseline")).containsKey("chosen_epoch"));
        Map<String, Object> no3 = map(results.get("no3"));
        assertTrue(((Number) no3.get("bias_shift")).doubleValue() != 0.0);
        assertEquals(8, ((java.util.List<?>) map(map(results.get("sweep")).get("units_30")).get("by_temperature")).size());
        for (String png : new String[] {"learning-curves.png", "temperature.png"}) {
            BufferedImage img = ImageIO.read(out.resolve("plots").resolve(png).toFile());
            assertNotNull(img, png);
            assertEquals(900, img.getWidth());
        }

        // the same command again: everything is loaded from the checkpoints, nothing retrained
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        assertEquals(0, Main.run(args, new PrintStream(log2, true, StandardCharsets.UTF_8), false));
        String text2 = log2.toString(StandardCharsets.UTF_8);
        assertTrue(!text2.contains("/5  [") && !text2.contains("/2  [") && !text2.contains("/6  ["),
                "finished models must not be retrained:\n" + text2);
        Map<String, Object> again = map(map(Json.parse(Files.readString(out.resolve("report.json")))).get("results"));
        assertEquals(teacherErrors, ((Number) map(again.get("teacher")).get("test_errors")).intValue());
        assertEquals(map(results.get("no3")).get("bias_shift"), map(again.get("no3")).get("bias_shift"));
    }

    /**
     * --student-seed: the students of a second run start from other weights and see the examples in
     * another order, against the same teacher, which is loaded, not retrained.
     */
    @Test
    void studentSeedRetrainsTheStudentsAgainstTheSameTeacher() throws Exception {
        Path data = dir.resolve("idx");
        Synthetic.write(data, 300, 100, 12, SEED, true);
        Path out = dir.resolve("out");
        String[] args = {"mnist", "--quick", "--data", data.toString(), "--out", out.toString(), "--seed", "3", "--only", "distilled",
                "--teacher-epochs", "2", "--student-epochs", "1", "--teacher-lr", "0.1", "--student-lr", "0.1", "--student-patience", "0"};
        assertEquals(0, Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false));
        Map<String, Object> first = map(Json.parse(Files.readString(out.resolve("report.json"))));
        String[] again = java.util.Arrays.copyOf(args, args.length + 2);
        again[args.length] = "--student-seed";
        again[args.length + 1] = "4";
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, Main.run(again, new PrintStream(log, true, StandardCharsets.UTF_8), false));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(!text.contains("teacher        1/2"), "the teacher must be loaded, not retrained:\n" + text);
        assertTrue(text.contains("distilled") && text.contains("1/1"), "the students must be trained again:\n" + text);
        assertTrue(text.contains("seed 3 (students 4)"), text);
        Map<String, Object> second = map(Json.parse(Files.readString(out.resolve("report.json"))));
        Map<String, Object> ctx = map(second.get("context"));
        assertEquals(3, ((Number) ctx.get("seed")).intValue());
        assertEquals(4, ((Number) ctx.get("student_seed")).intValue());
        assertEquals(3, ((Number) map(first.get("context")).get("student_seed")).intValue());
        try (var configs = Files.list(out.resolve("models").resolve("distilled"))) {
            assertEquals(2, configs.count(), "one configuration directory per student seed");
        }
        assertTrue(Files.readString(out.resolve("report.md")).contains("seed 3 (students 4)"));
    }

    @Test
    void badArgumentsAreRejectedClearly() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"mnist", "--only", "teacher,nope"}, sink, false));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"mnist", "--seed"}, sink, false));
        assertTrue(e.getMessage().contains("--seed needs a value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"mnist", "--threads", "0"}, sink, false));
        assertTrue(e.getMessage().contains("--threads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"mnist", "--student-patience", "-1"}, sink, false));
        assertTrue(e.getMessage().startsWith("--student-patience -1: ") && e.getMessage().contains("must be ≥ 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"mnist", "--student-max-epochs", "-3"}, sink, false));
        assertTrue(e.getMessage().startsWith("--student-max-epochs -3: ") && e.getMessage().contains("must be ≥ 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"mnist", "--quick", "--student-patience", "5", "--student-max-epochs", "0"}, sink, false));
        assertTrue(e.getMessage().startsWith("--student-max-epochs 0: ") && e.getMessage().contains("--student-max-epochs N"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"mnist", "--student-patience", "x"}, sink, false));
        assertTrue(e.getMessage().contains("--student-patience"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"mnist", "--student-lr-decay", "1.5"}, sink, false));
        assertTrue(e.getMessage().contains("--student-lr-decay 1.5: ") && e.getMessage().contains("must be in (0, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"mnist", "--student-lr-decay", "0"}, sink, false));
        assertTrue(e.getMessage().contains("--student-lr-decay"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"mnist", "--student-momentum", "1"}, sink, false));
        assertTrue(e.getMessage().contains("--student-momentum 1: ") && e.getMessage().contains("must be in (0, 1)"), e.getMessage());
        // T and α are checked once, by the engine's loss; the message names the option
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"mnist", "--temperature", "0"}, sink, false));
        assertTrue(e.getMessage().startsWith("--temperature 0: ") && e.getMessage().contains("temperature T must be finite and > 0"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"mnist", "--alpha", "1.5"}, sink, false));
        assertTrue(e.getMessage().startsWith("--alpha 1.5: ") && e.getMessage().contains("alpha"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"mnist", "--dropout", "0.2"}, sink, false));
        assertTrue(e.getMessage().contains("IN,HIDDEN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"mnist", "--dropout", "0.2,1"}, sink, false));
        assertTrue(e.getMessage().startsWith("--dropout 0.2,1: ") && e.getMessage().contains("hidden"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"mnist", "--jitter", "-1"}, sink, false));
        assertTrue(e.getMessage().startsWith("--jitter -1: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"fashion"}, sink, false));
        assertTrue(e.getMessage().contains("fashion"), e.getMessage());
    }

    /** --out is checked before anything is trained (or even loaded): a file, or a directory that cannot be written. */
    @Test
    void anUnusableOutFailsAtOnceNamingThePathAndTheFix() throws Exception {
        Path data = dir.resolve("idx");
        Synthetic.write(data, 100, 20, 12, SEED, false);
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        IOException e = assertThrows(IOException.class, () -> Main.run(new String[] {"mnist", "--quick", "--data", data.toString(),
                "--out", file.toString()}, new PrintStream(log, true, StandardCharsets.UTF_8), false));
        assertTrue(e.getMessage().contains("--out " + file + " is a file") && e.getMessage().contains("pass a directory"), e.getMessage());
        assertEquals("", log.toString(StandardCharsets.UTF_8), "nothing loaded or trained before the check");
        assertEquals(e.getMessage(), Main.describe(e), "shown as its message, no Java exception name");

        Path below = file.resolve("sub");
        e = assertThrows(IOException.class, () -> Main.run(new String[] {"mnist", "--quick", "--data", data.toString(),
                "--out", below.toString()}, new PrintStream(log, true, StandardCharsets.UTF_8), false));
        assertTrue(e.getMessage().contains(below.toString()) && e.getMessage().contains("--out"), e.getMessage());

        // a directory no process can create files in, not even root: Linux's /proc
        Path proc = Path.of("/proc");
        if (Files.isDirectory(proc)) {
            e = assertThrows(IOException.class, () -> Main.run(new String[] {"mnist", "--quick", "--data", data.toString(),
                    "--out", proc.toString()}, new PrintStream(log, true, StandardCharsets.UTF_8), false));
            assertTrue(e.getMessage().contains("--out " + proc + " is not writable") && e.getMessage().contains("another --out"),
                    e.getMessage());
            assertEquals(e.getMessage(), Main.describe(e));
        }

        Path readOnly = dir.resolve("read-only");
        Files.createDirectories(readOnly);
        boolean made = readOnly.toFile().setWritable(false, false);
        try {
            // root (and some file systems) ignore the permission bits: nothing to check there
            org.junit.jupiter.api.Assumptions.assumeTrue(made && !Files.isWritable(readOnly), "directory stays writable here");
            e = assertThrows(IOException.class, () -> Main.run(new String[] {"mnist", "--quick", "--data", data.toString(),
                    "--out", readOnly.toString()}, new PrintStream(log, true, StandardCharsets.UTF_8), false));
            assertTrue(e.getMessage().contains("--out " + readOnly + " is not writable") && e.getMessage().contains("chmod"), e.getMessage());
        } finally {
            readOnly.toFile().setWritable(true, false);
        }
    }

    /**
     * The distillation and the teacher's recipe come from the command line and reach the runs: the
     * results and the report carry the values used, --validation reports errors on images never trained on.
     */
    @Test
    void recipeOptionsFlowToTheRunsAndTheReport() throws Exception {
        Path data = dir.resolve("idx");
        Synthetic.write(data, 360, 60, 12, SEED, false);
        Path out = dir.resolve("out");
        String[] args = {"mnist", "--quick", "--data", data.toString(), "--out", out.toString(), "--seed", "3", "--only", "distilled",
                "--teacher-epochs", "2", "--student-epochs", "1", "--teacher-lr", "0.1", "--temperature", "3.5", "--alpha", "0.7",
                "--dropout", "0.1,0.3", "--jitter", "0", "--max-norm", "0", "--validation", "60"};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertEquals(0, Main.run(args, new PrintStream(log, true, StandardCharsets.UTF_8), false));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("300 training / 60 test images / 60 validation"), text);
        assertTrue(text.contains("teacher: dropout 10% in / 30% hidden, no max-norm, no jitter, learning rate 0.1; students at T = 3.5, alpha = 0.7"), text);
        Map<String, Object> report = map(Json.parse(Files.readString(out.resolve("report.json"))));
        Map<String, Object> distilled = map(map(report.get("results")).get("distilled"));
        assertEquals(3.5, ((Number) distilled.get("temperature")).doubleValue());
        assertEquals(0.7f, ((Number) distilled.get("alpha_with_hard")).floatValue());
        assertTrue(String.valueOf(map(distilled.get("soft_and_hard")).get("description")).contains("(T = 3.5)"));
        assertTrue(map(distilled.get("soft_only")).get("validation_errors") instanceof Number, distilled.toString());
        Map<String, Object> preset = map(map(report.get("context")).get("preset"));
        assertEquals(0.1f, ((Number) preset.get("dropout_input")).floatValue());
        assertEquals(0, ((Number) preset.get("jitter")).intValue());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("soft targets at T = 3.5") && !md.contains("T = 20"), md);
        assertTrue(md.contains("validation errors"), md);
        try (var models = Files.list(out.resolve("models").resolve("teacher"))) {
            Path ckpt = models.findFirst().orElseThrow().resolve("checkpoint.safetensors");
            String config = distill4j.engine.io.StateDict.read(ckpt).metadata().get("config");
            assertTrue(config.contains("dropoutInput=0.1, dropoutHidden=0.3, maxNorm=0.0") && config.contains("jitter 0"), config);
        }
    }
}
