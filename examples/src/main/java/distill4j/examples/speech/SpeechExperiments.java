package distill4j.examples.speech;

import distill4j.engine.Batches;
import distill4j.engine.Tensor;
import distill4j.engine.distill.Ensemble;
import distill4j.engine.io.Json;
import distill4j.engine.optim.Schedule;
import distill4j.examples.cli.Progress;
import distill4j.examples.train.Eval;
import distill4j.examples.train.LogitCache;
import distill4j.examples.train.Net;
import distill4j.examples.train.Soft;
import distill4j.examples.train.Targets;
import distill4j.examples.train.OutDir;
import distill4j.examples.train.Trainer;
import distill4j.kernels.Backends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The speech-frame experiments of Hinton, Vinyals &amp; Dean (2015) on the synthetic flite corpus
 * ({@link SpeechCorpus}; a substitute for the paper's 2,000 h of voice search, see the README):
 * <ol>
 *   <li><b>Table 1 (§4)</b>: a baseline ReLU acoustic model; an ensemble of {@code members} models
 *       that differ only in their initial weights (member 0 is the baseline), combined by the arithmetic
 *       mean of their probabilities ({@link Ensemble#combine}); one model of the same size distilled
 *       from the ensemble with the loss {@code L = α·T²·CE(p_T, q_T) + (1 − α)·CE(y, q_1)}, α = 0.5, at
 *       each T of the preset; T chosen by dev frame accuracy. Frame accuracy on held-out pseudo-speakers
 *       and on a held-out voice, and the share of the ensemble's gain over the baseline that the
 *       distilled model keeps: (distilled − baseline) / (ensemble − baseline).</li>
 *   <li><b>§6</b>: a fixed seeded 3% of the training frames, (a) hard labels with early stopping on
 *       dev, (b) the soft targets of the 100% baseline at the chosen T (soft term only, α = 1) for a
 *       fixed number of epochs; beside the 100% baseline. Train (on the frames each was trained on)
 *       and test frame accuracy.</li>
 * </ol>
 * Every model is checkpointed each epoch by the {@link Trainer} (dev accuracy evaluated each epoch);
 * member logits are cached and checksummed by {@link LogitCache}; figures go to
 * {@code OUT/results/*.json} and {@link SpeechReport} writes report.md, report.json and a plot.
 */
public final class SpeechExperiments {
    /** Command-line settings. {@code corpusDir} null = the default cache directory. */
    public record Settings(SpeechPreset preset, boolean quick, Path out, Path corpusDir, long corpusSeed, long seed,
                           boolean install, int stopAfterEpochs, int distillEpochs) {
        /** distillEpochs: epochs of the distilled models (0 = the preset's epochs, as the members). */
        public Settings {
            if (distillEpochs < 0) throw new IllegalArgumentException("--distill-epochs " + distillEpochs + " must be ≥ 1");
        }

        public Settings(SpeechPreset preset, boolean quick, Path out, Path corpusDir, long corpusSeed, long seed, boolean install,
                        int stopAfterEpochs) {
            this(preset, quick, out, corpusDir, corpusSeed, seed, install, stopAfterEpochs, 0);
        }

        /** Epochs of the distilled models. */
        public int distilledEpochs() { return distillEpochs > 0 ? distillEpochs : preset.epochs(); }
    }

    static final float WARM_MOMENTUM = 0.9f;

    private final Settings s;
    private final PrintStream log;
    private final Progress progress;
    private SpeechCorpus corpus;
    private SpeechFeatures features;
    private Frames train, dev;
    private final Map<String, Frames> tests = new LinkedHashMap<>();
    private final Map<String, List<Trainer.Epoch>> histories = new LinkedHashMap<>();

    public SpeechExperiments(Settings settings, PrintStream log, Progress progress) {
        this.s = settings;
        this.log = log;
        this.progress = progress;
    }

    /** Builds or opens the corpus, runs Table 1 and §6, writes the report. */
    public void run() throws IOException {
        long t0 = System.nanoTime();
        SpeechCorpus corpus = open();
        SpeechPreset p = s.preset();
        log.printf(Locale.ROOT, "speech (synthetic flite corpus %s, %s): %d train / %d dev / %d test-speakers / %d test-voice frames,"
                        + " %d classes; backend %s, seed %d, out %s%n", corpus.dir(), corpus.size(), train.count(), dev.count(),
                tests.get("test-speakers").count(), tests.get("test-voice").count(), PhoneStates.count(), Backends.get().name(),
                s.seed(), s.out());
        log.println("preset " + p);
        Files.createDirectories(s.out());

        Map<String, Object> t1 = table1();
        saveResult("table1", t1);
        Map<String, Object> s6 = section6(((Number) t1.get("chosen_temperature")).floatValue());
        saveResult("section6", s6);

        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("mode", p.name());
        ctx.put("preset", p.toString());
        ctx.put("layers", p.layers());
        ctx.put("hidden", p.hidden());
        ctx.put("parameters", p.parameters());
        ctx.put("members", p.members());
        ctx.put("epochs", p.epochs());
        ctx.put("distilled_epochs", s.distilledEpochs());
        ctx.put("corpus", corpus.dir().toString());
        ctx.put("corpus_size", corpus.size());
        ctx.put("corpus_seed", corpus.seed());
        ctx.put("seed", s.seed());
        ctx.put("frames", Map.of("train", train.count(), "dev", dev.count(), "test-speakers", tests.get("test-speakers").count(),
                "test-voice", tests.get("test-voice").count()));
        ctx.put("backend", Backends.get().name());
        ctx.put("threads", Runtime.getRuntime().availableProcessors());
        ctx.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
        SpeechReport.write(s.out(), ctx, t1, s6, histories, log);
    }

    /** Builds or opens the corpus and loads its features (once); the splits are then {@link #frames}. */
    public synchronized SpeechCorpus open() throws IOException {
        if (corpus != null) return corpus;
        SpeechCorpus.Budget budget = s.quick() ? SpeechCorpus.QUICK : SpeechCorpus.FULL;
        Path dir = s.corpusDir() != null ? s.corpusDir() : SpeechCorpus.defaultDir(budget);
        SpeechCorpus c = SpeechCorpus.ensure(dir, budget, s.corpusSeed(), s.install(), log);
        features = SpeechFeatures.load(c, log);
        train = Frames.all(features.get(SpeechCorpus.Split.TRAIN));
        dev = Frames.all(features.get(SpeechCorpus.Split.DEV));
        tests.put("test-speakers", Frames.all(features.get(SpeechCorpus.Split.TEST_SPEAKERS)));
        tests.put("test-voice", Frames.all(features.get(SpeechCorpus.Split.TEST_VOICE)));
        corpus = c;
        return c;
    }

    public Settings settings() { return s; }

    /** The frames of a split: "train", "dev", "test-speakers" or "test-voice" (after {@link #open}). */
    public Frames frames(String split) {
        if (split.equals("train")) return train;
        Frames f = set(split);
        if (f == null) throw new IllegalArgumentException("no split '" + split + "' (train, dev, test-speakers, test-voice)");
        return f;
    }

    /** Where member logits are cached ({@link LogitCache}): OUT/cache. */
    public Path cacheDir() { return s.out().resolve("cache"); }

    /**
     * Member {@code m} (0-based) of Table 1 on its own: trained, resumed from its last checkpoint under
     * OUT/models/member-(m+1)/CONFIG/, or loaded when finished. Seed {@code seed + 1000·m}; member 0 is the
     * baseline. The Spark members job runs one of these per task.
     */
    public Net trainMember(int m) throws IOException {
        open();
        if (m < 0 || m >= s.preset().members()) throw new IllegalArgumentException("member " + m + " outside 0.." + (s.preset().members() - 1));
        return train("member-" + (m + 1), train, null, Targets.hard(), s.preset().epochs(), s.seed() + 1000L * m, 0);
    }

    // ---------------------------------------------------------------------------------------------- Table 1

    private Map<String, Object> table1() throws IOException {
        SpeechPreset p = s.preset();
        int classes = PhoneStates.count();
        List<float[]> memberTrainLogits = new ArrayList<>();
        Map<String, List<float[]>> memberEvalLogits = new LinkedHashMap<>();
        for (String split : evalSplits()) memberEvalLogits.put(split, new ArrayList<>());
        List<Map<String, Object>> members = new ArrayList<>();
        for (int m = 0; m < p.members(); m++) {
            String name = "member-" + (m + 1);
            Net net = trainMember(m);
            memberTrainLogits.add(LogitCache.teacherLogits(net, train, cacheDir()));
            if (m == 0) baselineTrainLogits = memberTrainLogits.get(0);
            Map<String, Object> acc = new LinkedHashMap<>();
            for (String split : evalSplits()) {
                float[] z = LogitCache.teacherLogits(net, set(split), cacheDir());
                memberEvalLogits.get(split).add(z);
                acc.put(split, accuracy(z, set(split)));
            }
            acc.put("train", accuracy(memberTrainLogits.get(m), train));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", name);
            r.put("accuracy", acc);
            r.put("train_seconds", trainingSeconds(name));
            members.add(r);
        }
        // the ensemble: (1/M) Σ_m softmax(v_m), T = 1, on every evaluation split
        Map<String, Object> ensemble = new LinkedHashMap<>();
        Map<String, Object> perBaseline = new LinkedHashMap<>(), perEnsemble = new LinkedHashMap<>(), perDistilled = new LinkedHashMap<>();
        for (String split : evalSplits()) {
            float[] pbar = ensembleProbabilities(memberEvalLogits.get(split), classes, 1f);
            ensemble.put(split, accuracy(pbar, set(split)));
            perBaseline.put(split, phoneErrorRate(memberEvalLogits.get(split).get(0), set(split)));
            perEnsemble.put(split, phoneErrorRate(pbar, set(split)));
        }
        Map<String, Object> baseline = map(members.get(0).get("accuracy"));

        // distilled from the ensemble at each T: L = α·T²·CE(p_T, q_T) + (1 − α)·CE(y, q_1)
        List<Map<String, Object>> distilled = new ArrayList<>();
        float chosen = p.temperatures()[0];
        double bestDev = -1;
        for (float t : p.temperatures()) {
            Soft soft = new Soft(ensembleProbabilities(memberTrainLogits, classes, t), classes, t);
            String name = "distilled-T" + fmt(t);
            Net net = train(name, train, soft, Targets.distill(t, p.alpha()), s.distilledEpochs(), s.seed() + 500, 0);
            Map<String, Object> acc = new LinkedHashMap<>(), per = new LinkedHashMap<>();
            for (String split : evalSplits()) {
                float[] z = Eval.logits(net, set(split));
                acc.put(split, accuracy(z, set(split)));
                per.put(split, phoneErrorRate(z, set(split)));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("temperature", t);
            r.put("phone_error_rate", per);
            r.put("alpha", p.alpha());
            r.put("accuracy", acc);
            r.put("train_seconds", trainingSeconds(name));
            distilled.add(r);
            double d = ((Number) acc.get("dev")).doubleValue();
            if (d > bestDev) { bestDev = d; chosen = t; }
        }
        Map<String, Object> chosenAcc = null;
        for (Map<String, Object> r : distilled) {
            if (((Number) r.get("temperature")).floatValue() != chosen) continue;
            chosenAcc = map(r.get("accuracy"));
            perDistilled = map(r.get("phone_error_rate"));
        }
        // share of the ensemble's gain that the distilled model keeps, per test split
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String split : evalSplits()) {
            double b = num(baseline.get(split)), e = num(ensemble.get(split)), d = num(chosenAcc.get(split));
            kept.put(split, e - b == 0 ? Json.NULL : (Object) ((d - b) / (e - b)));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("members", members);
        r.put("baseline", baseline);
        r.put("ensemble", ensemble);
        r.put("distilled", distilled);
        r.put("chosen_temperature", chosen);
        r.put("distilled_chosen", chosenAcc);
        r.put("gain_kept", kept);
        Map<String, Object> per = new LinkedHashMap<>();
        per.put("baseline", perBaseline);
        per.put("ensemble", perEnsemble);
        per.put("distilled_chosen", perDistilled);
        r.put("phone_error_rate", per);
        return r;
    }

    // --------------------------------------------------------------------------------------------------- §6

    private Map<String, Object> section6(float temperature) throws IOException {
        SpeechPreset p = s.preset();
        int classes = PhoneStates.count();
        // a fixed seeded subset: the first 3% of a seeded permutation of the training frames, in frame order
        int k = Math.max(1, (int) Math.round(p.subsetFraction() * train.count()));
        int[] pick = Arrays.copyOf(Batches.order(train.count(), s.seed() * 31 + 3), k);
        Arrays.sort(pick);
        Frames subset = new Frames("train-" + Math.round(100 * p.subsetFraction()) + "pct", train.set(), pick);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("subset_frames", k);
        r.put("subset_fraction", p.subsetFraction());
        r.put("temperature", temperature);

        // (a) hard labels, early stopping on dev
        Net hard = train("subset-hard", subset, null, Targets.hard(), p.subsetEpochs(), s.seed() + 700, p.patience());
        List<Trainer.Epoch> hh = histories.get("subset-hard");
        Map<String, Object> a = row(hard, subset);
        a.put("epochs_run", hh.size());
        a.put("best_epoch", Trainer.bestEpoch(hh));
        r.put("hard_early_stopping", a);

        // (b) the 100% baseline's soft targets on the same frames, soft term only, no early stopping
        float[] baseLogits = baselineTrainLogits; // member 1's cached logits on every training frame
        float[] sub = new float[k * classes];
        for (int i = 0; i < k; i++) System.arraycopy(baseLogits, pick[i] * classes, sub, i * classes, classes);
        Soft soft = Soft.of(sub, classes, temperature);
        Net softNet = train("subset-soft", subset, soft, Targets.distill(temperature, 1f), p.subsetEpochs(), s.seed() + 700, 0);
        Map<String, Object> b = row(softNet, subset);
        b.put("epochs_run", histories.get("subset-soft").size());
        r.put("soft_targets", b);

        // the 100% baseline (member 1 of Table 1)
        r.put("baseline_full", row(member(0), train));
        return r;
    }

    private Map<String, Object> row(Net net, Frames trainedOn) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train", accuracy(Eval.logits(net, trainedOn), trainedOn));
        for (String split : evalSplits()) m.put(split, accuracy(Eval.logits(net, set(split)), set(split)));
        return m;
    }

    // ------------------------------------------------------------------------------------------- training

    private final Map<Integer, Net> membersTrained = new LinkedHashMap<>();
    private float[] baselineTrainLogits;

    private Net member(int m) throws IOException {
        Net n = membersTrained.get(m);
        if (n == null) throw new IllegalStateException("member " + m + " not trained yet");
        return n;
    }

    /**
     * One model of the preset's architecture; dev accuracy each epoch. Learning rate lr·10^(−e/(E−1)) with
     * a warm-up over the first epoch, momentum 0.9.
     */
    private Net train(String name, Frames data, Soft soft, Targets targets, int epochs, long seed, int patience) throws IOException {
        SpeechPreset p = s.preset();
        Net.Options o = Net.Options.plain(seed);
        Net net = new Net(p.sizes(), o);
        Trainer t = new Trainer(progress).stopAfterEpochs(s.stopAfterEpochs()).earlyStopping(patience);
        histories.put(name, t.train(plan(p, name, epochs, p.lr(), targets, seed).withWarmup(), net, netConfig(o), data, soft, dev,
                s.out().resolve("models").resolve(name)));
        if (name.startsWith("member-")) membersTrained.put(Integer.parseInt(name.substring(7)) - 1, net);
        return net;
    }

    /** The plan of every speech model: learning rate lr·10^(−e/(E−1)) over E epochs, momentum 0.9, the preset's batch. */
    public static Trainer.Plan plan(SpeechPreset p, String name, int epochs, float lr, Targets targets, long seed) {
        double gamma = epochs > 1 ? Math.pow(0.1, 1.0 / (epochs - 1)) : 1;
        return new Trainer.Plan(name, epochs, p.batch(), Schedule.exponential(lr, gamma), Schedule.constant(WARM_MOMENTUM),
                0, targets, seed);
    }

    /** The configuration text of a speech model (part of its checkpoint's key). */
    public static String netConfig(Net.Options o) { return "speech-v1 " + o; }

    private double trainingSeconds(String name) {
        return histories.getOrDefault(name, List.of()).stream().mapToDouble(Trainer.Epoch::seconds).sum();
    }

    /** (1/M) Σ_m softmax(v_m / T) by the engine's {@link Ensemble#combine}, in chunks of rows to bound memory. */
    static float[] ensembleProbabilities(List<float[]> memberLogits, int classes, float temperature) {
        int rows = memberLogits.get(0).length / classes;
        float[] out = new float[rows * classes];
        int chunk = 8192;
        for (int r = 0; r < rows; r += chunk) {
            int n = Math.min(chunk, rows - r);
            List<Tensor> part = new ArrayList<>();
            for (float[] v : memberLogits) part.add(Tensor.of(Arrays.copyOfRange(v, r * classes, (r + n) * classes), n, classes));
            System.arraycopy(Ensemble.combine(Ensemble.Combine.ARITHMETIC, part, temperature).data(), 0, out, r * classes, n * classes);
        }
        return out;
    }

    /** Frame accuracy (argmax of scores, logits or probabilities, against the labels). */
    static double accuracy(float[] scores, Frames data) {
        int classes = PhoneStates.count();
        return 1.0 - (double) Eval.errors(scores, data.labels(), data.count(), classes) / data.count();
    }

    /** Phone error rate of a split's frame scores after {@link PhoneErrorRate}'s simple decode. */
    static double phoneErrorRate(float[] scores, Frames data) {
        if (data.count() != data.set().frames()) throw new IllegalArgumentException("phone error rate needs every frame of " + data.name());
        return PhoneErrorRate.of(scores, PhoneStates.count(), data.labels(), data.set().uttStart).rate();
    }

    private List<String> evalSplits() { return List.of("dev", "test-speakers", "test-voice"); }

    private Frames set(String split) { return split.equals("dev") ? dev : tests.get(split); }

    private void saveResult(String name, Map<String, Object> r) throws IOException {
        OutDir.saveResult(s.out(), name, r);
    }

    static String fmt(float t) {
        return new java.math.BigDecimal(Float.toString(t)).stripTrailingZeros().toPlainString();
    }

    static double num(Object o) { return ((Number) o).doubleValue(); }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }
}
