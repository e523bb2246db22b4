package distill4j.examples.specialists;

import distill4j.engine.Tensor;
import distill4j.engine.distill.ConfusableClasses;
import distill4j.engine.distill.SoftTargets;
import distill4j.engine.distill.Specialist;
import distill4j.engine.distill.SpecialistCombination;
import distill4j.examples.cli.Progress;
import distill4j.examples.data.Examples;
import distill4j.examples.data.Relabelled;
import distill4j.examples.speech.Frames;
import distill4j.examples.speech.PhoneStates;
import distill4j.examples.speech.SpeechCorpus;
import distill4j.examples.speech.SpeechExperiments;
import distill4j.examples.speech.SpeechPreset;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Specialists for confusable classes, Hinton, Vinyals &amp; Dean (2015) §5, on the synthetic flite speech
 * corpus (124 HMM-state classes; the paper used JFT's 15,000 image labels):
 * <ol>
 *   <li>the <b>generalist</b>: the speech experiments' baseline acoustic model (same recipe and seed as
 *       member 1 of Table 1);</li>
 *   <li><b>clusters</b>: {@link ConfusableClasses} on the covariance of the generalist's predicted
 *       distributions over the dev frames (no labels used), seeded K-means into K groups, each class in
 *       its {@code overlap} nearest clusters;</li>
 *   <li>one <b>specialist</b> per cluster: the generalist's weights, an output layer of its classes plus
 *       a dustbin ({@link Specialist#initFrom}); trained on every training frame of its classes and as
 *       many random other frames ({@link Specialist#trainingSample}), with hard labels (other classes →
 *       dustbin); afterwards its dustbin logit is raised by the log prior ratio
 *       ({@link Specialist#dustbinCorrection}). With {@code softTargets} a second set of specialists also
 *       fits the generalist's soft targets collapsed to its classes (§6.1's proposal, not tested in the paper);</li>
 *   <li><b>inference</b> (eq. 5, {@link SpecialistCombination}): the generalist's top-n classes pick the
 *       active specialists; q = softmax(z) minimising KL(p^g, q) + Σ_m KL(p^m, q) per frame.</li>
 * </ol>
 * Reported as the paper's Tables 3 and 4: frame accuracy and conditional accuracy (frames whose true
 * class is covered by an active specialist), generalist vs generalist + specialists, and the change by
 * the number of active specialists covering the true class.
 */
public final class SpecialistExperiments {
    /**
     * Command-line settings. {@code corpusDir} null = the default cache directory. specialists K, overlap r,
     * top n, specialist epochs and initial learning rate; softTargets: also train the §6.1 variant at
     * temperature {@code softTemperature} with hard-label weight 1 − alpha.
     */
    public record Settings(SpeechPreset preset, boolean quick, Path out, Path corpusDir, long corpusSeed, long seed, boolean install,
                           int stopAfterEpochs, int specialists, int overlap, int top, int specialistEpochs, float specialistLr,
                           boolean softTargets, float softTemperature, float alpha, ConfusableClasses.Points points, boolean balanced) {
        public Settings {
            if (specialists < 1 || specialists > PhoneStates.count()) {
                throw new IllegalArgumentException("--specialists " + specialists + " must be in 1.." + PhoneStates.count());
            }
            if (overlap < 1 || overlap > specialists) throw new IllegalArgumentException("--overlap " + overlap + " must be in 1..--specialists (" + specialists + ")");
            if (top < 1 || top > PhoneStates.count()) throw new IllegalArgumentException("--top " + top + " must be in 1.." + PhoneStates.count());
            if (specialistEpochs < 1) throw new IllegalArgumentException("--specialist-epochs " + specialistEpochs + " must be ≥ 1");
            if (!(specialistLr > 0) || !Float.isFinite(specialistLr)) throw new IllegalArgumentException("--specialist-lr " + specialistLr + " must be > 0");
        }
    }

    private final Settings s;
    private final PrintStream log;
    private final Progress progress;
    private Frames train, dev;
    private final Map<String, Frames> tests = new LinkedHashMap<>();
    private final Map<String, List<Trainer.Epoch>> histories = new LinkedHashMap<>();

    public SpecialistExperiments(Settings settings, PrintStream log, Progress progress) {
        this.s = settings;
        this.log = log;
        this.progress = progress;
    }

    private SpeechCorpus corpus;
    private Net generalist;
    private List<Specialist> specs;
    private float[] trainLogits;

    /** Builds or opens the corpus, trains the generalist and the specialists, evaluates eq. 5, writes the report. */
    public void run() throws IOException {
        long t0 = System.nanoTime();
        prepare();
        SpeechPreset p = s.preset();

        // 3. the specialists, hard labels (and, if asked, with the generalist's soft targets too: §6.1)
        List<Map<String, Object>> variants = new ArrayList<>();
        variants.add(variant("hard", generalist, specs, null));
        if (s.softTargets()) variants.add(variant("soft", generalist, specs, trainLogits));

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("clusters", clusterRows(specs, train.labels()));
        r.put("variants", variants);
        saveResult("specialists", r);

        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("mode", p.name());
        ctx.put("preset", p.toString());
        ctx.put("parameters", p.parameters());
        ctx.put("specialists", s.specialists());
        ctx.put("overlap", s.overlap());
        ctx.put("points", s.points().name().toLowerCase(Locale.ROOT));
        ctx.put("clustering", s.balanced() ? "balanced K-means (at most ⌈124/K⌉ classes a cluster, grown to overlap × that by the"
                + " classes nearest its centroid)" : "K-means (each class in its overlap nearest clusters)");
        ctx.put("top", s.top());
        ctx.put("specialist_epochs", s.specialistEpochs());
        ctx.put("specialist_lr", s.specialistLr());
        ctx.put("soft_temperature", s.softTemperature());
        ctx.put("alpha", s.alpha());
        ctx.put("corpus", corpus.dir().toString());
        ctx.put("corpus_seed", corpus.seed());
        ctx.put("seed", s.seed());
        ctx.put("frames", Map.of("train", train.count(), "dev", dev.count(), "test-speakers", tests.get("test-speakers").count(),
                "test-voice", tests.get("test-voice").count()));
        ctx.put("backend", Backends.get().name());
        ctx.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
        SpecialistsReport.write(s.out(), ctx, r, histories, log);
    }

    /**
     * Steps 1 and 2, once: the corpus, the generalist (trained, resumed or loaded), the clusters of confusable
     * classes and the specialists' class sets, and the generalist's logits on the training frames. The Spark
     * specialists job runs this in every task, then {@link #trainSpecialist}.
     */
    public synchronized void prepare() throws IOException {
        if (specs != null) return;
        // the corpus and its splits, opened as the speech experiments open them
        SpeechExperiments speech = new SpeechExperiments(new SpeechExperiments.Settings(s.preset(), s.quick(), s.out(), s.corpusDir(),
                s.corpusSeed(), s.seed(), s.install(), s.stopAfterEpochs()), log, progress);
        corpus = speech.open();
        train = speech.frames("train");
        dev = speech.frames("dev");
        for (String split : List.of("test-speakers", "test-voice")) tests.put(split, speech.frames(split));
        SpeechPreset p = s.preset();
        int classes = PhoneStates.count();
        log.printf(Locale.ROOT, "specialists (synthetic flite corpus %s): %d train / %d dev frames, %d classes; %d specialists,"
                        + " overlap %d, top %d; backend %s, seed %d, out %s%n", corpus.dir(), train.count(), dev.count(), classes,
                s.specialists(), s.overlap(), s.top(), Backends.get().name(), s.seed(), s.out());
        Files.createDirectories(s.out());

        // 1. the generalist: Table 1's baseline recipe (member 1: seed + 0)
        generalist = new Net(p.sizes(), Net.Options.plain(s.seed()));
        train("generalist", generalist, SpeechExperiments.plan(p, "generalist", p.epochs(), p.lr(), Targets.hard(), s.seed()).withWarmup(),
                SpeechExperiments.netConfig(Net.Options.plain(s.seed())), train, null, dev);

        // 2. clusters of confusable classes from the covariance of its dev predictions (labels unused)
        float[] devProbs = probabilities(LogitCache.teacherLogits(generalist, dev, cacheDir()), classes);
        Tensor devP = Tensor.of(devProbs, dev.count(), classes);
        long clusterSeed = s.seed() * 7919 + 11;
        List<int[]> clusters;
        if (s.balanced()) {
            // clusters of at most ⌈C/K⌉ classes, each grown to overlap × ⌈C/K⌉ by the classes nearest its centroid
            int cap = (classes + s.specialists() - 1) / s.specialists();
            clusters = ConfusableClasses.clusters(devP, s.specialists(), clusterSeed, s.points(), ConfusableClasses.balancedKMeans(100, 10), 1);
            if (s.overlap() > 1) clusters = ConfusableClasses.grow(devP, s.points(), clusters, Math.min(classes - 1, s.overlap() * cap));
        } else {
            clusters = ConfusableClasses.clusters(devP, s.specialists(), clusterSeed, s.points(), ConfusableClasses.kMeans(100, 10), s.overlap());
        }
        List<Specialist> specs = new ArrayList<>();
        for (int[] c : clusters) {
            if (c.length == classes) {
                throw new IllegalArgumentException("specialists: a cluster of the " + s.points().name().toLowerCase(Locale.ROOT)
                        + " columns holds all " + classes + " classes, leaving none for its dustbin; use more --specialists,"
                        + " a smaller --overlap, or --clustering balanced");
            }
            specs.add(new Specialist(classes, c));
        }

        trainLogits = LogitCache.teacherLogits(generalist, train, cacheDir());
        this.specs = specs;
    }

    /** The number of specialists (clusters), after {@link #prepare}. */
    public int specialistCount() { return specs.size(); }

    /**
     * Specialist {@code m} (0-based) of the set {@code kind} ("hard", or "soft": §6.1's variant, when the settings
     * ask for it) on its own: trained, resumed from its last checkpoint under OUT/models/specialist[-soft]-(m+1)/,
     * or loaded when finished. The Spark specialists job runs one of these per task.
     */
    public Net trainSpecialist(String kind, int m) throws IOException {
        prepare();
        if (!kind.equals("hard") && !(kind.equals("soft") && s.softTargets())) throw new IllegalArgumentException("no specialist set '" + kind + "'");
        if (m < 0 || m >= specs.size()) throw new IllegalArgumentException("specialist " + m + " outside 0.." + (specs.size() - 1));
        return specialist(kind, m, generalist, specs.get(m), kind.equals("hard") ? null : trainLogits).net();
    }

    private record Trained(Net net, double correction, Map<String, Object> row) {}

    /** Trains one set of specialists and evaluates generalist vs generalist + specialists on every split. */
    private Map<String, Object> variant(String kind, Net generalist, List<Specialist> specs, float[] generalistTrainLogits) throws IOException {
        int classes = PhoneStates.count();
        List<Net> nets = new ArrayList<>();
        List<Double> corrections = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int m = 0; m < specs.size(); m++) {
            Trained t = specialist(kind, m, generalist, specs.get(m), generalistTrainLogits);
            nets.add(t.net());
            corrections.add(t.correction());
            rows.add(t.row());
        }

        SpecialistCombination comb = new SpecialistCombination(specs, s.top(), SpecialistCombination.DEFAULT_STEPS,
                SpecialistCombination.DEFAULT_LEARNING_RATE, SpecialistCombination.DEFAULT_UPDATE);
        Map<String, Object> splits = new LinkedHashMap<>();
        for (String split : List.of("dev", "test-speakers", "test-voice")) {
            Frames f = split.equals("dev") ? dev : tests.get(split);
            float[] pg = probabilities(LogitCache.teacherLogits(generalist, f, cacheDir()), classes);
            List<float[]> pm = new ArrayList<>();
            for (int m = 0; m < specs.size(); m++) {
                float[] z = Eval.logits(nets.get(m), f);
                if (Double.isNaN(corrections.get(m))) {
                    // a soft-target specialist's δ by prior matching on these dev logits (dev is the first split)
                    double share = 1 - ((Number) rows.get(m).get("full_share")).doubleValue();
                    corrections.set(m, specs.get(m).priorMatchingCorrection(z, f.count(), share));
                    rows.get(m).put("dustbin_correction", corrections.get(m));
                }
                specs.get(m).correctDustbin(z, f.count(), corrections.get(m));
                pm.add(probabilities(z, specs.get(m).size()));
                if (split.equals("dev")) rows.get(m).putAll(Scores.specialistOnDev(specs.get(m), pm.get(m), pg, f.labels()));
            }
            float[] q = comb.combine(pg, pm, f.count());
            splits.put(split, Scores.of(f.labels(), pg, q, classes, comb.active(pg, f.count()), specs).toJson());
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("kind", kind);
        v.put("targets", kind.equals("hard") ? "hard labels" : "soft targets of the generalist at T = " + s.softTemperature()
                + " (weight " + s.alpha() + ") + hard labels");
        v.put("specialists", rows);
        v.put("splits", splits);
        return v;
    }

    /** Trains (or resumes, or loads) specialist m of a set; its dustbin correction and its row of the report. */
    private Trained specialist(String kind, int m, Net generalist, Specialist sp, float[] generalistTrainLogits) throws IOException {
        SpeechPreset p = s.preset();
        int classes = PhoneStates.count();
        int[] labelMap = new int[classes];
        for (int c = 0; c < classes; c++) labelMap[c] = sp.localLabel(c);
        Specialist.Sample sample = sp.trainingSample(train.labels(), s.seed() * 1_000_003L + m);
        String name = (kind.equals("hard") ? "specialist-" : "specialist-soft-") + (m + 1);
        Relabelled data = new Relabelled(name + "-train", train, sample.indices(), labelMap);
        Relabelled devLocal = new Relabelled(name + "-dev", dev, null, labelMap);
        int[] sizes = p.sizes();
        sizes[sizes.length - 1] = sp.size();
        Net.Options o = Net.Options.plain(s.seed() + 3000L + m);
        Net net = new Net(sizes, o);
        // the generalist's hidden layers and its rows of the specialist's classes; dustbin row from the others
        sp.initFrom(generalist.model(), net.model());
        Targets targets = kind.equals("hard") ? Targets.hard() : Targets.distill(s.softTemperature(), s.alpha());
        Soft soft = null;
        if (generalistTrainLogits != null) {
            // the generalist's soft targets at T, collapsed to the specialist's classes + dustbin, on its sample
            float[] z = new float[sample.indices().length * classes];
            for (int i = 0; i < sample.indices().length; i++) {
                System.arraycopy(generalistTrainLogits, sample.indices()[i] * classes, z, i * classes, classes);
            }
            Tensor pT = SoftTargets.fromLogits(Tensor.of(z, sample.indices().length, classes), s.softTemperature());
            soft = new Soft(sp.collapse(pT).data(), sp.size(), s.softTemperature());
        }
        String config = SpeechExperiments.netConfig(o) + " specialist of generalist " + generalist.checksum().substring(0, 16)
                + " classes " + java.util.Arrays.toString(sp.classes());
        train(name, net, SpeechExperiments.plan(p, name, s.specialistEpochs(), s.specialistLr(), targets, o.seed()), config,
                data, soft, devLocal);
        // the hard labels of the half-and-half sample carry its biased prior: raise the dustbin logit by the log
        // prior ratio (the paper). The generalist's soft targets carry the true prior, so a specialist trained on
        // both is biased towards neither exactly: its δ is the one that makes its mean dustbin probability on the
        // dev frames (no labels) equal the share of training frames outside its classes; NaN here, found by
        // variant() from the dev logits it computes anyway.
        double corr = kind.equals("hard") ? Specialist.dustbinCorrection(sample.fullShare(), sample.sampleShare()) : Double.NaN;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("classes", sp.classes().length);
        row.put("train_examples", sample.indices().length);
        row.put("full_share", sample.fullShare());
        row.put("dustbin_correction", Double.isNaN(corr) ? 0.0 : corr); // the soft set's is set with its dev pass
        row.put("train_seconds", histories.get(name).stream().mapToDouble(Trainer.Epoch::seconds).sum());
        return new Trained(net, corr, row);
    }

    private List<Map<String, Object>> clusterRows(List<Specialist> specs, int[] trainLabels) {
        int[] counts = new int[PhoneStates.count()];
        for (int y : trainLabels) counts[y]++;
        List<Map<String, Object>> out = new ArrayList<>();
        for (int m = 0; m < specs.size(); m++) {
            Map<String, Object> r = new LinkedHashMap<>();
            List<Object> names = new ArrayList<>();
            long frames = 0;
            for (int c : specs.get(m).classes()) { names.add(PhoneStates.NAMES.get(c)); frames += counts[c]; }
            r.put("specialist", m + 1);
            r.put("states", names);
            r.put("train_frames", frames);
            out.add(r);
        }
        return out;
    }

    private void train(String name, Net net, Trainer.Plan plan, String config, Examples data, Soft soft, Examples devSet) throws IOException {
        Trainer t = new Trainer(progress).stopAfterEpochs(s.stopAfterEpochs());
        histories.put(name, t.train(plan, net, config, data, soft, devSet, s.out().resolve("models").resolve(name)));
    }

    /** Row-wise softmax (T = 1) of logits (rows, n). */
    static float[] probabilities(float[] logits, int n) {
        return SoftTargets.fromLogits(Tensor.of(logits, logits.length / n, n), 1).data(); // a new array: the logits are only read
    }

    private Path cacheDir() { return s.out().resolve("cache"); }

    private void saveResult(String name, Map<String, Object> r) throws IOException {
        OutDir.saveResult(s.out(), name, r);
    }
}
