package distill4j.examples.specialists;

import distill4j.engine.io.Json;
import distill4j.examples.cli.Plot;
import distill4j.examples.train.OutDir;
import distill4j.examples.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * specialists.md (the paper's Tables 3 and 4 beside ours, labelled as a synthetic-speech substitute),
 * specialists.json (everything) and specialists-coverage.png (relative accuracy change by the number of
 * active specialists covering the true class).
 */
final class SpecialistsReport {
    private static final String[] SPLITS = {"test-speakers", "test-voice", "dev"};
    /** Coverage buckets with fewer frames are left out of the plot (they stay in the tables). */
    static final int MIN_PLOTTED = 100;

    private SpecialistsReport() {}

    static void write(Path out, Map<String, Object> ctx, Map<String, Object> r, Map<String, List<Trainer.Epoch>> histories,
                      PrintStream log) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("context", ctx);
        all.putAll(r);
        Map<String, Object> hist = new LinkedHashMap<>();
        for (var e : histories.entrySet()) {
            List<Object> h = new ArrayList<>();
            for (Trainer.Epoch ep : e.getValue()) h.add(Map.of("epoch", ep.epoch(), "train_loss", ep.trainLoss(), "dev_errors", ep.testErrors()));
            hist.put(e.getKey(), h);
        }
        all.put("histories", hist);
        String md = markdown(ctx, r);
        atomic(out.resolve("specialists.json"), Json.write(all));
        atomic(out.resolve("specialists.md"), md);
        List<Plot.Series> series = new ArrayList<>();
        for (Object o : (List<?>) r.get("variants")) {
            Map<String, Object> v = map(o);
            for (String split : SPLITS) {
                Map<String, Object> by = map(map(map(v.get("splits")).get(split)).get("by_coverage"));
                List<double[]> pts = new ArrayList<>();
                for (var e : by.entrySet()) {
                    Map<String, Object> c = map(e.getValue());
                    double before = num(c.get("generalist_right"));
                    // a bucket of a few frames would swing by tens of percent: plotted from MIN_PLOTTED frames on
                    if (before > 0 && num(c.get("frames")) >= MIN_PLOTTED) pts.add(new double[] {Integer.parseInt(e.getKey()), 100 * (num(c.get("combined_right")) - before) / before});
                }
                double[] x = new double[pts.size()], y = new double[pts.size()];
                for (int i = 0; i < pts.size(); i++) { x[i] = pts.get(i)[0]; y[i] = pts.get(i)[1]; }
                if (x.length > 0) series.add(new Plot.Series(v.get("kind") + " " + split, x, y));
            }
        }
        if (!series.isEmpty()) {
            Plot.lines(out.resolve("specialists-coverage.png"), "change in right frames by covering specialists (buckets of ≥ " + MIN_PLOTTED + " frames)",
                    "active specialists covering the true class", "relative accuracy change (%)", series, false);
        }
        log.print(md);
        log.println("report: " + out.resolve("specialists.md") + ", " + out.resolve("specialists.json"));
    }

    static String markdown(Map<String, Object> ctx, Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> frames = map(ctx.get("frames"));
        sb.append("# Specialists for confusable classes: Hinton, Vinyals & Dean (2015), §5, on a synthetic-speech substitute\n\n");
        sb.append("**Not the paper's data.** The paper trained 61 specialists of 300 classes each on JFT (100M images, 15,000"
                + " labels). Here: the 124 HMM-state classes of the synthetic flite speech corpus (").append(frames.get("train"))
                .append(" training frames; see examples/speech/README.md). Only the direction and rough size of the effects compare.\n\n");
        sb.append(String.format(Locale.ROOT, "Mode `%s`: generalist %s. %s specialists (%s of the columns of the %s matrix of the"
                        + " generalist's dev predictions; overlap %s), %s epochs each from the generalist's weights, initial lr %s;"
                        + " eq. 5 over the generalist's top %s class(es). Backend %s, seed %s, wall time %.0f s.%n%n",
                ctx.get("mode"), ctx.get("preset"), ctx.get("specialists"), ctx.get("clustering"), ctx.get("points"), ctx.get("overlap"),
                ctx.get("specialist_epochs"),
                ctx.get("specialist_lr"), ctx.get("top"), ctx.get("backend"), ctx.get("seed"), num(ctx.get("wall_seconds"))));

        for (Object o : (List<?>) r.get("variants")) {
            Map<String, Object> v = map(o);
            Map<String, Object> splits = map(v.get("splits"));
            sb.append("## Table 3: frame accuracy, specialists trained on ").append(v.get("targets")).append("\n\n");
            sb.append("| split | generalist | + specialists | relative | conditional: generalist | conditional: + specialists | conditional frames |\n"
                    + "|---|---|---|---|---|---|---|\n");
            for (String split : SPLITS) {
                Map<String, Object> x = map(splits.get(split));
                double g = num(x.get("generalist_accuracy")), c = num(x.get("combined_accuracy"));
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %+.1f%% | %s | %s | %s of %s |%n", split, pct(g), pct(c),
                        g == 0 ? 0 : 100 * (c - g) / g, pct(num(x.get("conditional_generalist_accuracy"))),
                        pct(num(x.get("conditional_combined_accuracy"))), x.get("conditional_frames"), x.get("frames")));
            }
            sb.append("| paper (JFT, test) | 25.0% | 26.1% | +4.4% | 43.1% | 45.9% | |\n\n");
            sb.append("Conditional: the frames whose true class belongs to at least one active specialist.\n\n");
            sb.append("## Table 4: by the number of active specialists covering the true class (test-speakers)\n\n");
            sb.append("| covering | frames | generalist right | + specialists right | change | relative change |\n|---|---|---|---|---|---|\n");
            Map<String, Object> by = map(map(splits.get("test-speakers")).get("by_coverage"));
            for (var e : by.entrySet()) {
                Map<String, Object> c = map(e.getValue());
                double before = num(c.get("generalist_right")), after = num(c.get("combined_right"));
                sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %+.0f | %s |%n", e.getKey(), c.get("frames"), before, after,
                        after - before, before == 0 ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", 100 * (after - before) / before)));
            }
            sb.append("\nThe paper (JFT): +3.4% relative with 1 specialist covering the true class, growing to about +14% with 10 or more.\n\n");
            sb.append("Specialists (dev columns: labels used to diagnose only):\n\n| specialist | classes | training frames (half its classes)"
                    + " | its classes' share of the training set | dustbin logit raised by | dev: mean dustbin probability | dev: frames outside"
                    + " its classes | dev, its classes: specialist right | generalist right (same task) | train s |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|\n");
            for (Object so : (List<?>) v.get("specialists")) {
                Map<String, Object> sp = map(so);
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f%% | %.2f | %s | %s | %s | %s | %.0f |%n", sp.get("name"), sp.get("classes"),
                        sp.get("train_examples"), 100 * num(sp.get("full_share")), num(sp.get("dustbin_correction")),
                        pctOf(sp.get("dev_dustbin_probability_mean")), pctOf(sp.get("dev_dustbin_share")),
                        pctOf(sp.get("dev_own_classes_accuracy_specialist")), pctOf(sp.get("dev_own_classes_accuracy_generalist")),
                        num(sp.get("train_seconds"))));
            }
            sb.append('\n');
        }
        sb.append("## Clusters of confusable classes (found without labels)\n\n| specialist | training frames | HMM states |\n|---|---|---|\n");
        for (Object o : (List<?>) r.get("clusters")) {
            Map<String, Object> c = map(o);
            sb.append("| ").append(c.get("specialist")).append(" | ").append(c.get("train_frames")).append(" | ")
                    .append(String.join(" ", ((List<?>) c.get("states")).stream().map(Object::toString).toList())).append(" |\n");
        }
        return sb.toString();
    }

    private static String pctOf(Object o) { return o instanceof Number n ? pct(n.doubleValue()) : "–"; }

    static String pct(double v) { return String.format(Locale.ROOT, "%.1f%%", 100 * v); }

    static double num(Object o) { return ((Number) o).doubleValue(); }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }

    private static void atomic(Path file, String text) throws IOException {
        OutDir.writeAtomically(file, text);
    }
}
