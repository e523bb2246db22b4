package distill4j.examples.speech;

import static distill4j.examples.speech.SpeechExperiments.map;
import static distill4j.examples.speech.SpeechExperiments.num;

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
 * report.md (our figures beside the paper's, labelled as a synthetic-speech substitute), report.json
 * (everything) and dev-accuracy.png (dev frame accuracy per epoch of every model).
 */
public final class SpeechReport {
    private SpeechReport() {}

    static void write(Path out, Map<String, Object> ctx, Map<String, Object> t1, Map<String, Object> s6,
                      Map<String, List<Trainer.Epoch>> histories, PrintStream log) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("context", ctx);
        all.put("table1", t1);
        all.put("section6", s6);
        String md = markdown(ctx, t1, s6);
        atomic(out.resolve("report.json"), Json.write(all));
        atomic(out.resolve("report.md"), md);
        List<Plot.Series> series = new ArrayList<>();
        int devFrames = ((Number) map(ctx.get("frames")).get("dev")).intValue();
        for (var e : histories.entrySet()) {
            List<Trainer.Epoch> h = e.getValue();
            if (h.isEmpty()) continue;
            double[] x = new double[h.size()], y = new double[h.size()];
            for (int i = 0; i < h.size(); i++) { x[i] = h.get(i).epoch(); y[i] = 100.0 * (1 - (double) h.get(i).testErrors() / devFrames); }
            series.add(new Plot.Series(e.getKey(), x, y));
        }
        if (series.size() > 8) series = series.subList(series.size() - 8, series.size()); // the palette's size; members first are dropped
        Plot.lines(out.resolve("dev-accuracy.png"), "dev frame accuracy per epoch (synthetic flite speech)", "epoch",
                "dev frame accuracy (%)", series, false);
        log.print(md);
        log.println("report: " + out.resolve("report.md") + ", " + out.resolve("report.json") + ", " + out.resolve("dev-accuracy.png"));
    }

    static String markdown(Map<String, Object> ctx, Map<String, Object> t1, Map<String, Object> s6) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> frames = map(ctx.get("frames"));
        sb.append("# Speech frames: Hinton, Vinyals & Dean (2015), §4 and §6, on a synthetic-speech substitute\n\n");
        sb.append("**Not the paper's data.** The paper used ~2,000 h of Google voice search (~700M frames, 14,000 context-dependent"
                + " HMM states). These figures come from speech synthesised by flite's statistical voices with flite's own HMM-state"
                + " labels (124 context-independent classes), a corpus of ").append(frames.get("train")).append(" training frames"
                + " (see examples/speech/README.md). Absolute accuracies are not comparable with the paper's; only the relations"
                + " between the systems are.\n\n");
        sb.append(String.format(Locale.ROOT, "Mode `%s`: %s. Model %d × %d ReLU, %,d parameters (the paper: 8 × 2,560, ~85M)."
                        + " Backend %s, seed %s, wall time %.0f s.%n%n", ctx.get("mode"), ctx.get("preset"), ((Number) ctx.get("layers")).intValue(),
                ((Number) ctx.get("hidden")).intValue(), ((Number) ctx.get("parameters")).longValue(), ctx.get("backend"), ctx.get("seed"),
                num(ctx.get("wall_seconds"))));
        sb.append(String.format(Locale.ROOT, "Frames: train %s, dev %s, test-speakers %s (held-out pseudo-speakers of the training voices),"
                + " test-voice %s (a whole held-out voice).%n%n", frames.get("train"), frames.get("dev"), frames.get("test-speakers"),
                frames.get("test-voice")));

        int m = ((Number) ctx.get("members")).intValue();
        Map<String, Object> base = map(t1.get("baseline")), ens = map(t1.get("ensemble")), dis = map(t1.get("distilled_chosen")),
                kept = map(t1.get("gain_kept"));
        sb.append("## Table 1 (§4): frame accuracy\n\n");
        sb.append("| system | test-speakers | test-voice | dev | paper (frame acc.) |\n|---|---|---|---|---|\n");
        sb.append(row("baseline (member 1)", base)).append(" 58.9% |\n");
        sb.append(row(m + "× ensemble (arithmetic mean of probabilities)", ens)).append(m == 10 ? " 61.1% |\n" : " 61.1% (10×) |\n");
        sb.append(row("distilled single model, T = " + SpeechExperiments.fmt(((Number) t1.get("chosen_temperature")).floatValue())
                + " (chosen on dev)", dis)).append(" 60.8% |\n");
        sb.append(String.format(Locale.ROOT, "| share of the ensemble's gain kept by the distilled model | %s | %s | %s | > 80%% |%n%n",
                share(kept.get("test-speakers")), share(kept.get("test-voice")), share(kept.get("dev"))));
        sb.append("Gain kept = (distilled − baseline) / (ensemble − baseline); negative or above 100% when the signs say so.\n\n");
        if (t1.get("phone_error_rate") instanceof Map<?, ?> perAll) {
            Map<String, Object> per = map(perAll);
            sb.append("Phone error rate after a simple frame-to-phone decode (argmax state → phone, runs under ")
                    .append(PhoneErrorRate.MIN_RUN).append(" frames dropped, silence removed, edit distance to the labels' phones;"
                    + " lower is better; the paper reports word error rate with a recogniser and language model instead):\n\n");
            sb.append("| system | test-speakers | test-voice | dev | paper (WER) |\n|---|---|---|---|---|\n");
            sb.append(perRow("baseline (member 1)", map(per.get("baseline")))).append(" 10.9% |\n");
            sb.append(perRow(m + "× ensemble", map(per.get("ensemble")))).append(" 10.7% |\n");
            sb.append(perRow("distilled single model", map(per.get("distilled_chosen")))).append(" 10.7% |\n\n");
        }
        sb.append("Members (each a different initialisation):\n\n| member | test-speakers | test-voice | dev | train | train s |\n|---|---|---|---|---|---|\n");
        for (Object o : (List<?>) t1.get("members")) {
            Map<String, Object> r = map(o), a = map(r.get("accuracy"));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.0f |%n", r.get("name"), pct(a.get("test-speakers")),
                    pct(a.get("test-voice")), pct(a.get("dev")), pct(a.get("train")), num(r.get("train_seconds"))));
        }
        sb.append("\nDistilled from the ensemble at every T (hard-label weight 0.5, as the paper; ")
                .append(ctx.getOrDefault("distilled_epochs", ctx.get("epochs"))).append(" epochs):\n\n"
                + "| T | test-speakers | test-voice | dev | train s |\n|---|---|---|---|---|\n");
        for (Object o : (List<?>) t1.get("distilled")) {
            Map<String, Object> r = map(o), a = map(r.get("accuracy"));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f |%n", SpeechExperiments.fmt(((Number) r.get("temperature")).floatValue()),
                    pct(a.get("test-speakers")), pct(a.get("test-voice")), pct(a.get("dev")), num(r.get("train_seconds"))));
        }

        Map<String, Object> hard = map(s6.get("hard_early_stopping")), soft = map(s6.get("soft_targets")), full = map(s6.get("baseline_full"));
        sb.append(String.format(Locale.ROOT, "%n## §6: soft targets as a regularizer (%s training frames = %.0f%%, fixed seeded subset)%n%n",
                s6.get("subset_frames"), 100 * num(s6.get("subset_fraction"))));
        sb.append("| system | train frame acc. | test-speakers | test-voice | paper train | paper test |\n|---|---|---|---|---|---|\n");
        sb.append(String.format(Locale.ROOT, "| baseline, 100%% of the training set | %s | %s | %s | 63.4%% | 58.9%% |%n", pct(full.get("train")),
                pct(full.get("test-speakers")), pct(full.get("test-voice"))));
        sb.append(String.format(Locale.ROOT, "| baseline, 3%%, hard targets (early stopping on dev: best epoch %s of %s run) | %s | %s | %s | 67.3%% | 44.5%% |%n",
                hard.get("best_epoch"), hard.get("epochs_run"), pct(hard.get("train")), pct(hard.get("test-speakers")), pct(hard.get("test-voice"))));
        sb.append(String.format(Locale.ROOT, "| 3%%, soft targets of the 100%% baseline at T = %s (%s epochs, no early stopping) | %s | %s | %s | 65.4%% | 57.0%% |%n%n",
                SpeechExperiments.fmt(((Number) s6.get("temperature")).floatValue()), soft.get("epochs_run"), pct(soft.get("train")),
                pct(soft.get("test-speakers")), pct(soft.get("test-voice"))));
        sb.append("Train accuracy is measured in eval mode on the frames each model was trained on (the 3% subset for the 3% models).\n");
        sb.append("The soft-target model uses the soft term only (α = 1) at the temperature chosen for Table 1.\n");
        return sb.toString();
    }

    private static String row(String name, Map<String, Object> a) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s |", name, pct(a.get("test-speakers")), pct(a.get("test-voice")), pct(a.get("dev")));
    }

    private static String perRow(String name, Map<String, Object> a) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s |", name, pct(a.get("test-speakers")), pct(a.get("test-voice")), pct(a.get("dev")));
    }

    static String pct(Object o) { return String.format(Locale.ROOT, "%.1f%%", 100 * num(o)); }

    static String share(Object o) {
        if (!(o instanceof Number)) return "n/a (no gain)";
        double v = num(o);
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f%%", 100 * v) : "n/a (no gain)";
    }

    private static void atomic(Path file, String text) throws IOException {
        OutDir.writeAtomically(file, text);
    }
}
