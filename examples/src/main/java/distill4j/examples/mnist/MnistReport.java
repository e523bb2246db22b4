package distill4j.examples.mnist;

import distill4j.engine.io.Json;
import distill4j.examples.cli.Plot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code OUT/report.md} (our numbers next to the paper's, in the paper's layout),
 * {@code OUT/report.json} (every figure) and {@code OUT/plots/*.png} from {@code OUT/results/*.json}:
 * results of earlier invocations with the same {@code --out} are included.
 */
public final class MnistReport {
    private MnistReport() {}

    public static void write(Path out, Map<String, Object> context, PrintStream log) throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        for (String name : MnistExperiments.ALL) {
            Path f = out.resolve("results").resolve(name + ".json");
            if (Files.exists(f)) {
                try {
                    results.put(name, Json.parse(Files.readString(f)));
                } catch (Json.ParseException e) {
                    throw new IOException(f + ": " + e.getMessage(), e);
                }
            }
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("paper", "Hinton, Vinyals & Dean (2015), Distilling the Knowledge in a Neural Network, arXiv 1503.02531, section 3");
        all.put("context", context);
        all.put("results", results);
        Files.writeString(out.resolve("report.json"), Json.write(all));
        List<String> plots = plots(out, results);
        Files.writeString(out.resolve("report.md"), markdown(context, results, plots));
        log.println("report: " + out.resolve("report.md") + ", " + out.resolve("report.json") + ", " + plots.size() + " plots in "
                + out.resolve("plots"));
    }

    // ------------------------------------------------------------------ markdown

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) { return o instanceof Map ? (Map<String, Object>) o : Map.of(); }

    private static Object at(Map<String, Object> results, String... path) {
        Object o = results;
        for (String p : path) {
            if (!(o instanceof Map)) return null;
            o = ((Map<?, ?>) o).get(p);
        }
        return o;
    }

    /** "1", or "1 (students 2)" when the students had a seed of their own (reports before that key: the seed). */
    private static String seeds(Map<String, Object> ctx) {
        String seed = num(ctx.get("seed"));
        Object student = ctx.get("student_seed");
        return student == null || num(student).equals(seed) ? seed : seed + " (students " + num(student) + ")";
    }

    private static String num(Object o) {
        if (o == null) return "–";
        if (o instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d)) return String.format(Locale.ROOT, Math.abs(d) >= 10_000 ? "%,d" : "%d", (long) d);
            return new java.math.BigDecimal(String.format(Locale.ROOT, "%.2f", d)).stripTrailingZeros().toPlainString();
        }
        return o.toString();
    }

    private static String loss(Object o) {
        return o instanceof Number n ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : "–";
    }

    private static String pct(Object errors, Object total) {
        if (!(errors instanceof Number e) || !(total instanceof Number t) || t.doubleValue() == 0) return "–";
        return String.format(Locale.ROOT, "%.1f%%", 100 * e.doubleValue() / t.doubleValue());
    }

    /** An integer with thousands separators (1,010), as the paper writes counts; anything else as {@link #num}. */
    private static String thousands(Object o) {
        return o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? String.format(Locale.ROOT, "%,d", n.longValue()) : num(o);
    }

    private static String shift(Object o) {
        // a typographic minus, as the paper's −7.6 beside it
        return o instanceof Number n ? String.format(Locale.ROOT, "%+.2f", n.doubleValue()).replace('-', '−') : "–";
    }

    static String markdown(Map<String, Object> ctx, Map<String, Object> r, List<String> plots) {
        StringBuilder md = new StringBuilder();
        // the paper's figures are for MNIST: shown beside ours only when the data are the official files
        boolean paper = Boolean.TRUE.equals(ctx.get("official_mnist"));
        String dataset = ctx.get("dataset") != null ? String.valueOf(ctx.get("dataset")) : paper ? "MNIST" : "custom data";
        Map<String, Object> preset = map(ctx.get("preset"));
        String t = num(preset.getOrDefault("temperature", 20));
        md.append("# ").append(dataset).append(": Hinton, Vinyals & Dean (2015), section 3, with distill4j\n\n");
        md.append(String.format(Locale.ROOT, "Mode **%s**, %s, %s classes (%s), %s training / %s test images%s, backend `%s`, seed %s, max-norm %s.%n",
                ctx.get("mode"), paper ? "the official MNIST files" : "data set " + dataset + " (not the official MNIST files;"
                        + " the paper's MNIST figures are not shown)",
                num(ctx.getOrDefault("classes", 10)), classList(ctx), num(ctx.get("train_examples")), num(ctx.get("test_examples")),
                ctx.get("validation_examples") != null ? " / " + num(ctx.get("validation_examples")) + " validation (the last of the training file, never trained on)" : "",
                ctx.get("backend"), seeds(ctx), num(ctx.get("max_norm"))));
        if (!"full".equals(ctx.get("mode"))) {
            md.append(paper ? "Quick mode: smaller nets, a training subset and few epochs, so the numbers are far from the paper's; "
                    + "they show the pipeline end to end.\n" : "Quick mode: smaller nets, a training subset and few epochs.\n");
        }
        Object testTotal = ctx.get("test_examples");
        boolean validation = ctx.get("validation_examples") != null;
        md.append(paper ? "\n## Main result (paper's table)\n\n" : "\n## Main result\n\n");
        md.append("| model |").append(paper ? " paper: test errors |" : "").append(" ours: test errors |")
                .append(validation ? " ours: validation errors |" : "").append(" ours: epochs | ours: s/epoch |\n|---|")
                .append(paper ? "---|" : "").append(validation ? "---|" : "").append("---|---|---|\n");
        row(md, paper, validation, "teacher: " + desc(r, "teacher"), "67", at(r, "teacher"));
        row(md, paper, validation, "small: " + desc(r, "baseline"), "146", at(r, "baseline"));
        row(md, paper, validation, "small, regularised only by soft targets at T = " + temperatureOf(r, t) + " (no jitter): "
                + desc(r, "distilled", "soft_only"), "74", at(r, "distilled", "soft_only"));
        row(md, paper, validation, "small, soft targets + hard labels: " + desc(r, "distilled", "soft_and_hard"), "not given",
                at(r, "distilled", "soft_and_hard"));
        if (r.containsKey("distilled") && map(r.get("distilled")).get("teacher_train_errors") != null) {
            md.append(String.format(Locale.ROOT, "%nOn the %s un-jittered training images the soft targets come from, the teacher errs on %s, "
                            + "the soft-targets-only student on %s and the student with hard labels on %s: a student learns its teacher's "
                            + "mistakes as well as its knowledge.%n",
                    num(map(r.get("distilled")).getOrDefault("transfer_examples", ctx.get("train_examples"))),
                    num(map(r.get("distilled")).get("teacher_train_errors")),
                    num(map(at(r, "distilled", "soft_only")).get("train_errors")),
                    num(map(at(r, "distilled", "soft_and_hard")).get("train_errors"))));
        }

        Map<String, Object> pure = map(at(r, "distilled", "soft_only")), mixed = map(at(r, "distilled", "soft_and_hard"));
        if (pure.get("chosen_epoch") != null) {
            md.append(String.format(Locale.ROOT, "%nThe distilled students train on the training images but the last %s and stop once "
                            + "their own loss on those %s held-out images (soft targets at T, eval mode) has not fallen for %s epochs "
                            + "(at most %s), keeping the best epoch; the test set is only reported. Soft only: epoch %s of %s, "
                            + "held-out loss %s, %s test errors (%s after %s epochs); with hard labels: epoch %s of %s, held-out "
                            + "loss %s, %s test errors (%s after %s epochs).%n",
                    num(pure.get("held_out_examples")), num(pure.get("held_out_examples")), num(pure.get("patience")),
                    num(pure.get("max_epochs")), num(pure.get("chosen_epoch")), num(pure.get("epochs_run")),
                    loss(pure.get("held_out_loss")), num(pure.get("test_errors")), num(pure.get("test_errors_at_student_epochs")),
                    num(preset.get("student_epochs")), num(mixed.get("chosen_epoch")), num(mixed.get("epochs_run")),
                    loss(mixed.get("held_out_loss")), num(mixed.get("test_errors")), num(mixed.get("test_errors_at_student_epochs")),
                    num(preset.get("student_epochs"))));
        }

        if (r.containsKey("sweep")) {
            md.append(paper ? "\n## Temperature (paper: at ≥ 300 units/layer all T above 8 gave similar results; at 30 units/layer"
                    + " T = 2.5–4 was significantly better than higher or lower T)\n\n" : "\n## Temperature\n\n");
            md.append("| T | 30 units: test errors | 300 units: test errors |\n|---|---|---|\n");
            Map<String, Object> s30 = map(at(r, "sweep", "units_30")), s300 = map(at(r, "sweep", "units_300"));
            java.util.TreeMap<Double, String[]> byT = new java.util.TreeMap<>();
            for (Object o : (List<?>) s30.getOrDefault("by_temperature", List.of())) {
                Map<String, Object> m = map(o);
                byT.computeIfAbsent(((Number) m.get("temperature")).doubleValue(), k -> new String[] {"–", "–"})[0] = num(m.get("test_errors"));
            }
            for (Object o : (List<?>) s300.getOrDefault("by_temperature", List.of())) {
                Map<String, Object> m = map(o);
                byT.computeIfAbsent(((Number) m.get("temperature")).doubleValue(), k -> new String[] {"–", "–"})[1] = num(m.get("test_errors"));
            }
            md.append("| hard labels only | ").append(num(s30.get("hard_label_test_errors"))).append(" | ")
                    .append(num(s300.get("hard_label_test_errors"))).append(" |\n");
            for (var e : byT.entrySet()) {
                md.append("| ").append(num(e.getKey())).append(" | ").append(e.getValue()[0]).append(" | ").append(e.getValue()[1]).append(" |\n");
            }
            md.append("\nEpochs per sweep run: ").append(num(s30.get("epochs"))).append(".\n");
        }

        if (r.containsKey("no3")) {
            Map<String, Object> m = map(r.get("no3"));
            md.append(paper ? "\n## Transfer set without any 3\n\n" : "\n## Transfer set without any example of class 3\n\n");
            md.append(paper ? "| | paper | ours |\n|---|---|---|\n" : "| | ours |\n|---|---|\n");
            md.append("| test errors | ").append(paper ? "206 | " : "").append(num(m.get("test_errors"))).append(" |\n");
            md.append("| … of which on the test ").append(paper ? "3s | 133 of 1,010 | " : "examples of class 3 | ")
                    .append(num(m.get("test_errors_on_shifted_classes")))
                    .append(" of ").append(thousands(m.get("test_count_of_shifted_classes"))).append(" |\n");
            md.append("| bias of 3 raised by | ").append(paper ? "+3.5 (chosen by hand) | " : "").append(shift(m.get("bias_shift")))
                    .append(" (predicted frequency of 3 on ").append(num(m.get("held_out_examples")))
                    .append(" held-out training images = its prior) |\n");
            md.append("| test errors after the shift | ").append(paper ? "109 | " : "").append(num(m.get("test_errors_after_shift"))).append(" |\n");
            md.append(paper ? "| … of which on the test 3s | 14 | " : "| … of which on class 3 | ")
                    .append(num(m.get("test_errors_on_shifted_classes_after_shift"))).append(" |\n");
        }
        if (r.containsKey("only78")) {
            Map<String, Object> m = map(r.get("only78"));
            md.append(paper ? "\n## Transfer set of 7s and 8s only\n\n" : "\n## Transfer set of classes 7 and 8 only\n\n");
            md.append(paper ? "| | paper | ours |\n|---|---|---|\n" : "| | ours |\n|---|---|\n");
            md.append("| test error | ").append(paper ? "47.3% | " : "").append(pct(m.get("test_errors"), testTotal)).append(" (")
                    .append(num(m.get("test_errors"))).append(") |\n");
            md.append("| biases of 7 and 8 shifted by | ").append(paper ? "−7.6 (chosen by hand) | " : "")
                    .append(shift(m.get("bias_shift"))).append(" |\n");
            md.append("| test error after the shift | ").append(paper ? "13.2% | " : "").append(pct(m.get("test_errors_after_shift"), testTotal)).append(" (")
                    .append(num(m.get("test_errors_after_shift"))).append(") |\n");
        }
        if (r.containsKey("ensemble")) {
            Map<String, Object> m = map(r.get("ensemble"));
            md.append(paper ? "\n## Teacher ensembles (not in the paper's MNIST section)\n\n" : "\n## Teacher ensembles\n\n");
            md.append("| | test errors |\n|---|---|\n");
            for (Object o : (List<?>) m.getOrDefault("members", List.of())) {
                Map<String, Object> mem = map(o);
                md.append("| member ").append(mem.get("name")).append(" (").append(num(mem.get("epochs"))).append(" epochs) | ")
                        .append(num(mem.get("test_errors"))).append(" |\n");
            }
            for (String how : List.of("arithmetic", "geometric")) {
                Map<String, Object> e = map(m.get(how));
                md.append("| ensemble, ").append(how).append(" mean | ").append(num(e.get("ensemble_test_errors"))).append(" |\n");
                md.append("| student distilled from it (T = ").append(t).append(") | ").append(num(map(e.get("distilled")).get("test_errors"))).append(" |\n");
            }
        }
        md.append("\n## Settings\n\n");
        if (preset.get("temperature") != null) {
            md.append(String.format(Locale.ROOT, "Teacher recipe: dropout %s on inputs / %s on hidden units, max-norm %s, jitter ±%s px. "
                            + "Students on soft targets at T = %s; the student with hard labels weighs the soft term α = %s.%n%n",
                    num(preset.get("dropout_input")), num(preset.get("dropout_hidden")), num(preset.get("max_norm")),
                    num(preset.get("jitter")), t, num(preset.get("alpha"))));
        }
        md.append(String.format(Locale.ROOT, "Teacher 2×%s, %s epochs (ensemble members after the first: %s), learning rate %s; "
                        + "students 2×%s, %s epochs on soft targets at learning rate %s%s, the baseline %s epochs on hard labels at %s; temperature-sweep runs %s "
                        + "epochs, learning rate %s on soft targets; every student's learning rate falls ×%s over its run while its momentum rises 0.5 → %s over the first half, every soft-target student warms its learning rate up linearly over "
                        + "its first epoch; %s held-out training images for the bias shifts; batches of 100.%n",
                num(preset.get("teacher_hidden")), num(preset.get("teacher_epochs")), num(preset.get("extra_teacher_epochs")),
                num(preset.get("teacher_lr")), num(preset.get("student_hidden")), num(preset.get("student_epochs")),
                num(preset.get("student_lr")),
                preset.get("student_patience") instanceof Number pt && pt.intValue() > 0
                        ? " (the two distilled students: up to " + num(preset.get("student_max_epochs")) + " on the training images but the held-out ones,"
                        + " stopped " + num(pt) + " epochs after their lowest held-out loss or the end of their momentum ramp, the schedules of the "
                        + num(preset.get("student_epochs")) + "-epoch run continued)" : "",
                num(preset.getOrDefault("baseline_epochs", preset.get("student_epochs"))),
                num(preset.get("hard_student_lr")), num(preset.get("sweep_epochs")),
                num(preset.get("sweep_lr")), num(preset.getOrDefault("student_lr_decay", 0.1)), num(preset.getOrDefault("student_momentum", 0.95)), num(preset.get("held_out"))));
        md.append("\n| experiment | training time of its models (sum of epoch times, resumed runs included) | wall time of the last invocation |\n|---|---|---|\n");
        double total = 0;
        for (var e : r.entrySet()) {
            double train = trainingSeconds(e.getValue());
            total += train;
            Object w = map(e.getValue()).get("wall_seconds");
            md.append("| ").append(e.getKey()).append(" | ").append(hms(train)).append(" | ")
                    .append(w instanceof Number n ? hms(n.doubleValue()) : "–").append(" |\n");
        }
        md.append("| all | ").append(hms(total)).append(" | |\n");
        if (!plots.isEmpty()) {
            md.append("\n## Plots\n\n");
            for (String p : plots) md.append("![").append(p).append("](plots/").append(p).append(")\n");
        }
        md.append("\nEvery figure is in `report.json`; each model's checkpoint is under `models/NAME/CONFIG/`.\n");
        return md.toString();
    }

    /** The sum of every {@code *training_seconds} figure in an experiment's results (each model counted once). */
    static double trainingSeconds(Object o) {
        double sum = 0;
        if (o instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                if (String.valueOf(e.getKey()).endsWith("training_seconds") && e.getValue() instanceof Number n) sum += n.doubleValue();
                else sum += trainingSeconds(e.getValue());
            }
        } else if (o instanceof List<?> l) {
            for (Object x : l) sum += trainingSeconds(x);
        }
        return sum;
    }

    private static String hms(double seconds) {
        return distill4j.examples.cli.Progress.fmtTime((long) (seconds * 1e9));
    }

    private static String desc(Map<String, Object> r, String... path) {
        Object o = at(r, path);
        return o == null ? "(not run)" : String.valueOf(map(o).get("description"));
    }

    private static void row(StringBuilder md, boolean showPaper, boolean validation, String what, String paper, Object result) {
        Map<String, Object> m = map(result);
        md.append("| ").append(what).append(" | ");
        if (showPaper) md.append(paper).append(" | ");
        md.append(num(m.get("test_errors"))).append(" | ");
        if (validation) md.append(num(m.get("validation_errors"))).append(" | ");
        // an early-stopped student: the epoch kept, chosen on held-out training images, of those run
        String epochs = m.get("chosen_epoch") != null ? num(m.get("chosen_epoch")) + " (chosen on held-out loss; "
                + num(m.get("epochs_run")) + " run)" : num(m.get("epochs"));
        md.append(epochs).append(" | ").append(num(m.get("seconds_per_epoch"))).append(" |\n");
    }

    /** The T the distilled students were trained at (from their results), else the preset's. */
    private static String temperatureOf(Map<String, Object> r, String preset) {
        Object t = map(r.get("distilled")).get("temperature");
        return t != null ? num(t) : preset;
    }

    /** "0–9", or the test set's count per class when given: "0: 980, 1: 1,135, …". */
    private static String classList(Map<String, Object> ctx) {
        Object counts = ctx.get("test_class_counts");
        if (!(counts instanceof List<?> l) || l.isEmpty()) return "classes 0–" + (((Number) ctx.getOrDefault("classes", 10)).intValue() - 1);
        StringBuilder sb = new StringBuilder("test examples per class: ");
        for (int i = 0; i < l.size(); i++) sb.append(i == 0 ? "" : ", ").append(i).append(": ").append(thousands(l.get(i)));
        return sb.toString();
    }

    // ------------------------------------------------------------------ plots

    private static List<String> plots(Path out, Map<String, Object> r) throws IOException {
        List<String> made = new ArrayList<>();
        List<Plot.Series> curves = new ArrayList<>();
        addCurve(curves, "teacher", at(r, "teacher"));
        addCurve(curves, "baseline", at(r, "baseline"));
        addCurve(curves, "distilled T=" + temperatureOf(r, "20"), at(r, "distilled", "soft_only"));
        addCurve(curves, "distilled + hard", at(r, "distilled", "soft_and_hard"));
        if (!curves.isEmpty()) {
            Plot.lines(out.resolve("plots").resolve("learning-curves.png"), "Test errors per epoch", "epoch", "test errors", curves, false);
            made.add("learning-curves.png");
        }
        List<Plot.Series> temps = new ArrayList<>();
        for (String units : List.of("units_30", "units_300")) {
            Object o = at(r, "sweep", units);
            if (o == null) continue;
            List<?> rows = (List<?>) map(o).getOrDefault("by_temperature", List.of());
            double[] x = new double[rows.size()], y = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                x[i] = ((Number) map(rows.get(i)).get("temperature")).doubleValue();
                y[i] = ((Number) map(rows.get(i)).get("test_errors")).doubleValue();
            }
            temps.add(new Plot.Series(units.replace("units_", "") + " units/layer", x, y));
        }
        if (!temps.isEmpty()) {
            Plot.lines(out.resolve("plots").resolve("temperature.png"), "Distilled students: test errors vs temperature", "T",
                    "test errors", temps, true);
            made.add("temperature.png");
        }
        return made;
    }

    private static void addCurve(List<Plot.Series> curves, String label, Object result) {
        if (result == null) return;
        List<?> h = (List<?>) map(result).getOrDefault("history", List.of());
        if (h.isEmpty()) return;
        double[] x = new double[h.size()], y = new double[h.size()];
        for (int i = 0; i < h.size(); i++) {
            x[i] = ((Number) map(h.get(i)).get("epoch")).doubleValue();
            y[i] = ((Number) map(h.get(i)).get("test_errors")).doubleValue();
        }
        curves.add(new Plot.Series(label, x, y));
    }
}
