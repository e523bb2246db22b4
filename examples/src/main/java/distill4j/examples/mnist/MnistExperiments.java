package distill4j.examples.mnist;

import distill4j.engine.distill.BiasShift;
import distill4j.engine.distill.Ensemble;
import distill4j.engine.io.Json;
import distill4j.engine.optim.Schedule;
import distill4j.examples.cli.Progress;
import distill4j.examples.data.Dataset;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The MNIST experiments of Hinton, Vinyals &amp; Dean (2015), §3, each a named run, on MNIST or any
 * IDX image data set ({@code --data}); the paper's values are the defaults of {@link Preset}:
 * <ol>
 *   <li>{@code teacher}: 784-1200-1200-10 ReLU, dropout 20% on inputs / 50% on hidden units, max-norm
 *       on each hidden unit's incoming weights, inputs jittered by up to 2 px, SGD with the dropout
 *       paper's schedule (decaying learning rate, momentum rising 0.5 → 0.99), batches of 100.</li>
 *   <li>{@code baseline}: 784-800-800-10 ReLU, no regularisation, hard labels.</li>
 *   <li>{@code distilled}: the same small net trained only on the teacher's soft targets at T (20) over
 *       the un-jittered training set; {@code distilled-hard} adds a small hard-label term.</li>
 *   <li>{@code sweep}: 30 and 300 units per layer, distilled at several temperatures.</li>
 *   <li>{@code no3}: transfer set without any 3; then the bias of 3 is raised by the shift that makes
 *       the predicted frequency of 3 on held-out training data match its prior.</li>
 *   <li>{@code only78}: transfer set of 7s and 8s only; the biases of 7 and 8 shifted the same way.</li>
 *   <li>{@code ensemble}: several teachers (different seeds), arithmetic vs geometric mean, distilled.</li>
 * </ol>
 * Every model is checkpointed each epoch (see {@link Trainer}); each experiment's figures go to
 * {@code OUT/results/NAME.json}; {@link MnistReport} turns them into the report.
 */
public final class MnistExperiments {
    public static final List<String> ALL = List.of("teacher", "baseline", "distilled", "sweep", "no3", "only78", "ensemble");
    static final int BATCH = 100;

    /** The demo and smoke-test sizes, see {@link Preset#quick()}. */
    public static Preset quick() { return Preset.quick(); }

    /** The paper's setting, see {@link Preset#full()}. */
    public static Preset full() { return Preset.full(); }

    /**
     * Command-line settings besides the preset. {@code seed} seeds everything; {@code studentSeed} (the
     * same by default) replaces it for the students alone, so that their spread over initial weights and
     * example order can be measured against one trained teacher.
     */
    public record Settings(Preset preset, Path out, Path data, Path cache, long seed, long studentSeed, Set<String> only,
                           int stopAfterEpochs) {}

    private final Settings s;
    private final PrintStream log;
    private final Progress progress;
    private Dataset train, test, validation;
    private boolean official;
    private String dataName;
    private int classes;
    private final Map<Integer, Net> teachers = new LinkedHashMap<>();

    public MnistExperiments(Settings settings, PrintStream log, Progress progress) {
        this.s = settings;
        this.log = log;
        this.progress = progress;
    }

    /** Runs the selected experiments (and the teacher runs they need), then writes the report. */
    public void run() throws IOException {
        Mnist.Split split = Mnist.load(s.data(), s.cache(), log);
        official = split.official();
        dataName = split.name();
        classes = split.classes();
        Preset p = s.preset();
        Dataset pool = split.train();
        int v = p.validation();
        if (v > 0) {
            // the last v images of the training file: never trained on, so settings can be chosen on them
            if (v > pool.count() / 2) {
                throw new IllegalArgumentException("--validation " + v + " is more than half of the " + pool.count()
                        + " training images in " + dataName + "; pass a smaller --validation");
            }
            validation = pool.range("validation", pool.count() - v, pool.count());
            pool = pool.first("train", pool.count() - v);
        }
        train = pool.count() > p.trainSubset() ? pool.first("train", p.trainSubset()) : pool;
        test = split.test();
        if (train.count() < 50) {
            throw new IllegalArgumentException("the training set of " + dataName + " has " + train.count() + " examples"
                    + " after --train-subset / --validation; need ≥ 50: use a larger --train-subset or data set, or a smaller --validation");
        }
        if (classes < 9 && (s.only().contains("no3") || s.only().contains("only78"))) {
            throw new IllegalArgumentException(dataName + " has " + classes + " classes; the experiments no3 and only78 need"
                    + " classes 3, 7 and 8: leave them out with --only teacher,baseline,distilled,sweep,ensemble");
        }
        log.printf(Locale.ROOT, "%s %s: %d classes, %d training / %d test images%s, mode %s, backend %s, seed %s, out %s%n",
                dataName, official ? "(official files)" : "(custom files)", classes, train.count(), test.count(),
                validation != null ? " / " + validation.count() + " validation" : "", p.name(),
                Backends.get().name(), s.seed() == s.studentSeed() ? Long.toString(s.seed())
                        : s.seed() + " (students " + s.studentSeed() + ")", s.out());
        log.printf(Locale.ROOT, "teacher: %s, learning rate %s; students at T = %s, alpha = %s%n", p.teacherRecipe(),
                num(p.teacherLr()), fmtT(p.temperature()), num(p.alpha()));
        Files.createDirectories(s.out());
        for (String name : s.only()) {
            long t0 = System.nanoTime();
            Map<String, Object> r = switch (name) {
                case "teacher" -> teacherExperiment();
                case "baseline" -> baseline();
                case "distilled" -> distilled();
                case "sweep" -> sweep();
                case "no3" -> no3();
                case "only78" -> only78();
                case "ensemble" -> ensemble();
                default -> throw new IllegalArgumentException("unknown experiment '" + name + "'; known: " + ALL);
            };
            r.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
            saveResult(name, r);
        }
        MnistReport.write(s.out(), context(), log);
    }

    private static String num(double v) {
        return new java.math.BigDecimal(Float.toString((float) v)).stripTrailingZeros().toPlainString();
    }

    private Map<String, Object> context() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("mode", s.preset().name());
        c.put("dataset", dataName);
        c.put("classes", classes);
        c.put("official_mnist", official);
        c.put("train_examples", train.count());
        c.put("test_examples", test.count());
        c.put("test_class_counts", list(test.classCounts()));
        if (validation != null) c.put("validation_examples", validation.count());
        c.put("backend", Backends.get().name());
        c.put("seed", s.seed());
        c.put("student_seed", s.studentSeed());
        c.put("max_norm", s.preset().maxNorm());
        c.put("preset", s.preset().toJson());
        return c;
    }

    // ------------------------------------------------------------------ models

    /**
     * The teacher's learning rate: lr0 · γ^epoch (the dropout paper: 10 · 0.998^epoch over thousands of
     * epochs); over our shorter runs γ gives the same ×0.1 decay by the last epoch.
     */
    private Schedule teacherLr(int epochs) {
        return Schedule.exponential(s.preset().teacherLr(), Math.pow(0.1, 1.0 / Math.max(1, epochs)));
    }

    /** The teacher's momentum: 0.5 → 0.99 linearly (the dropout paper: over 500 epochs; here 80% of the run). */
    private Schedule teacherMomentum(int epochs) {
        return Schedule.linear(0.5f, 0.99f, Math.max(1, epochs * 4 / 5));
    }

    /**
     * Students (not given in the paper): plain SGD with momentum rising 0.5 → 0.95 over the first half
     * of the run, no dampening (so the step is lr/(1 − μ) once momentum has built up), learning rate
     * decaying ×0.1 over the run; initial rate {@link Preset#hardStudentLr()} on hard labels only,
     * {@link Preset#studentLr()} when soft targets are used.
     */
    private Schedule studentLr(int epochs, float lr0) {
        return Schedule.exponential(lr0, Math.pow(s.preset().studentLrDecay(), 1.0 / Math.max(1, epochs)));
    }

    private Schedule studentMomentum(int epochs) {
        return Schedule.linear(0.5f, s.preset().studentMomentum(), momentumRampEpochs(epochs));
    }

    /**
     * Epochs over which a student's momentum rises (half its schedule's run). The held-out loss of the
     * distilled students climbs for a few epochs as the momentum reaches its top (full preset, run at
     * 5d19d6f: 0.296 → 0.459 and 0.276 → 0.440 from epochs 26 to 31, the ramp's end), then falls below its
     * earlier minimum by epochs 37 and 36; their early stopping counts its patience only from the ramp's end.
     */
    private static int momentumRampEpochs(int scheduleEpochs) {
        return Math.max(1, scheduleEpochs / 2);
    }

    /** Teacher number {@code k} (0 = "teacher", the others "teacher-2", ... for the ensemble). */
    private Net teacher(int k) throws IOException {
        Net cached = teachers.get(k);
        if (cached != null) return cached;
        int h = s.preset().teacherHidden();
        long seed = s.seed() + 1000L * k;
        Net.Options o = s.preset().teacherOptions(seed);
        Net net = new Net(new int[] {train.features(), h, h, classes}, o);
        int epochs = k == 0 ? s.preset().teacherEpochs() : s.preset().extraTeacherEpochs();
        String name = k == 0 ? "teacher" : "teacher-" + (k + 1);
        var plan = new Trainer.Plan(name, epochs, BATCH, teacherLr(epochs), teacherMomentum(epochs), s.preset().jitter(),
                Targets.hard(), seed);
        List<Trainer.Epoch> h0 = trainer().train(plan, net, "v2 " + o, train, null, test, modelDir(name));
        histories.put(name, h0);
        teachers.put(k, net);
        return net;
    }

    private final Map<String, List<Trainer.Epoch>> histories = new LinkedHashMap<>();


    private Trainer trainer() {
        return new Trainer(progress).stopAfterEpochs(s.stopAfterEpochs());
    }

    private Path modelDir(String name) { return s.out().resolve("models").resolve(name); }

    private Path cacheDir() { return s.out().resolve("cache"); }

    /** A student of {@code hidden} units per layer, trained on {@code data} with the given targets. */
    private Net student(String name, int hidden, int epochs, Dataset data, Soft soft, Targets targets) throws IOException {
        return student(name, hidden, epochs, data, soft, targets, s.preset().studentLr());
    }

    /** As above; {@code softLr} is the initial learning rate when soft targets are used (hard labels only: the preset's). */
    private Net student(String name, int hidden, int epochs, Dataset data, Soft soft, Targets targets, float softLr)
            throws IOException {
        return student(name, hidden, epochs, epochs, data, soft, targets, softLr, trainer());
    }

    /**
     * As above, for at most {@code epochs} epochs with the learning-rate and momentum schedules of a
     * {@code scheduleEpochs}-long run, continued past it (lr ×decay per scheduleEpochs epochs, momentum
     * constant after its ramp): the first scheduleEpochs epochs are those of the fixed-length run.
     */
    private Net student(String name, int hidden, int epochs, int scheduleEpochs, Dataset data, Soft soft, Targets targets,
                        float softLr, Trainer trainer) throws IOException {
        float lr0 = targets.usesSoft() ? softLr : s.preset().hardStudentLr();
        Net.Options o = Net.Options.plain(s.studentSeed() + 7);
        Net net = new Net(new int[] {data.features(), hidden, hidden, classes}, o);
        var plan = new Trainer.Plan(name, epochs, BATCH, studentLr(scheduleEpochs, lr0), studentMomentum(scheduleEpochs), 0,
                targets, s.studentSeed() + 7);
        if (targets.usesSoft()) plan = plan.withWarmup();
        List<Trainer.Epoch> h = trainer.train(plan, net, "v2 " + o, data, soft, test, modelDir(name));
        histories.put(name, h);
        return net;
    }

    /** Sum of a model's epoch times, over every invocation that trained it (resumed runs included). */
    private double trainingSeconds(String name) {
        return histories.getOrDefault(name, List.of()).stream().mapToDouble(Trainer.Epoch::seconds).sum();
    }

    private float[] teacherLogitsOnTrain(int k) throws IOException {
        return LogitCache.teacherLogits(teacher(k), train, cacheDir());
    }

    /** The preset's T, the one temperature of the soft targets and of the students' loss. */
    private float temperature() { return s.preset().temperature(); }

    private Map<String, Object> modelResult(String name, Net net, int[] sizes, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("description", description);
        m.put("sizes", list(sizes));
        float[] logits = Eval.logits(net, test);
        int[] labels = test.labels();
        m.put("test_errors", Eval.errors(logits, labels, test.count(), classes));
        if (validation != null) m.put("validation_errors", Eval.errors(net, validation));
        List<Trainer.Epoch> h = histories.getOrDefault(name, List.of());
        m.put("epochs", h.size());
        m.put("seconds_per_epoch", h.isEmpty() ? 0.0 : h.stream().mapToDouble(Trainer.Epoch::seconds).average().orElse(0));
        m.put("training_seconds", trainingSeconds(name));
        List<Object> curve = new ArrayList<>();
        for (Trainer.Epoch e : h) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch()); row.put("train_loss", e.trainLoss()); row.put("train_errors", e.trainErrors());
            row.put("test_errors", e.testErrors()); row.put("lr", e.lr()); row.put("momentum", e.momentum());
            row.put("seconds", e.seconds());
            if (!Double.isNaN(e.heldOutLoss())) row.put("held_out_loss", e.heldOutLoss());
            curve.add(row);
        }
        m.put("history", curve);
        m.put("checksum", net.checksum());
        return m;
    }

    // ------------------------------------------------------------------ experiments

    private Map<String, Object> teacherExperiment() throws IOException {
        Net t = teacher(0);
        return modelResult("teacher", t, t.sizes(), "2×" + s.preset().teacherHidden() + " ReLU, " + s.preset().teacherRecipe());
    }

    private Map<String, Object> baseline() throws IOException {
        int h = s.preset().studentHidden();
        Net net = student("baseline", h, s.preset().baselineEpochs(), train, null, Targets.hard());
        return modelResult("baseline", net, net.sizes(), "2×" + h + " ReLU, no regularisation, hard labels");
    }

    /**
     * The two distilled students. With {@link Preset#studentPatience()} on, they train on the training
     * set minus its last {@link #heldOut()} images (those the no3 / only78 bias shifts are fitted on),
     * and after each epoch their own loss (α · T² · KL(p ‖ q) + (1 − α) · CE, eval mode) is measured on
     * the held-out images against the teacher's soft targets of those images; a student stops once that
     * loss has not fallen for {@code patience} epochs, or at {@link Preset#studentMaxEpochs()}, and keeps
     * its best epoch's weights. The test set is only reported. With patience 0: {@link
     * Preset#studentEpochs()} epochs on the whole training set.
     */
    private Map<String, Object> distilled() throws IOException {
        int h = s.preset().studentHidden();
        float[] teacherLogits = teacherLogitsOnTrain(0);
        float t = temperature(), alpha = s.preset().alpha();
        int patience = s.preset().studentPatience();
        if (patience > 0 && heldOut() < 1) {
            throw new IllegalArgumentException("--student-patience " + patience + " needs held-out training images, and the "
                    + train.count() + " training images leave none (a fifth of them at most); use a larger --train-subset"
                    + " or --student-patience 0");
        }
        Dataset transfer = train, held = null;
        float[] transferLogits = teacherLogits;
        Soft heldSoft = null;
        if (patience > 0) {
            // the first heldOutStart() images train, the rest are held out: two contiguous runs of logit rows
            int cut = heldOutStart() * classes;
            transfer = train.range("train-minus-held-out", 0, heldOutStart());
            held = train.range("held-out", heldOutStart(), train.count());
            transferLogits = java.util.Arrays.copyOfRange(teacherLogits, 0, cut);
            heldSoft = Soft.of(java.util.Arrays.copyOfRange(teacherLogits, cut, teacherLogits.length), classes, t);
        }
        Soft soft = Soft.of(transferLogits, classes, t);
        Map<String, Object> r = new LinkedHashMap<>();
        // how far the transfer set's soft targets are from its labels: the students learn those mistakes too
        r.put("transfer_examples", transfer.count());
        r.put("teacher_train_errors", Eval.errors(transferLogits, transfer.labels(), transfer.count(), classes));
        Map<String, Object> pureResult = distilledStudent("distilled", transfer, soft, held, heldSoft, Targets.distill(t, 1f),
                "2×" + h + " ReLU, soft CE only");
        r.put("soft_only", pureResult);
        Map<String, Object> mixedResult = distilledStudent("distilled-hard", transfer, soft, held, heldSoft,
                Targets.distill(t, alpha), String.format(Locale.ROOT, "2×%d ReLU, %.2g·T²·soft CE (T = %s) + %.2g·hard CE",
                        h, alpha, fmtT(t), 1 - alpha));
        r.put("soft_and_hard", mixedResult);
        r.put("temperature", t);
        r.put("alpha_with_hard", alpha);
        return r;
    }

    /** One distilled student, early-stopped on held-out loss when {@code held} is given; its results. */
    private Map<String, Object> distilledStudent(String name, Dataset transfer, Soft soft, Dataset held, Soft heldSoft,
                                                 Targets targets, String description) throws IOException {
        Preset p = s.preset();
        int h = p.studentHidden();
        Net net;
        Trainer.Stop stop = null;
        if (held == null) {
            net = student(name, h, p.studentEpochs(), transfer, soft, targets);
        } else {
            stop = Trainer.Stop.heldOutLoss(held, heldSoft, targets);
            net = student(name, h, p.studentMaxEpochs(), p.studentEpochs(), transfer, soft, targets, p.studentLr(),
                    new Trainer(progress).stopAfterEpochs(s.stopAfterEpochs())
                            .earlyStopping(p.studentPatience(), stop, momentumRampEpochs(p.studentEpochs())));
        }
        Map<String, Object> m = modelResult(name, net, net.sizes(), description);
        m.put("train_errors", Eval.errors(net, transfer));
        if (stop != null) {
            List<Trainer.Epoch> hist = histories.getOrDefault(name, List.of());
            int chosen = Trainer.bestEpoch(hist, stop);
            m.put("early_stopping", "held-out loss");
            m.put("chosen_epoch", chosen);
            m.put("epochs_run", hist.size());
            m.put("max_epochs", p.studentMaxEpochs());
            m.put("patience", p.studentPatience());
            m.put("held_out_examples", held.count());
            m.put("held_out_loss", chosen > 0 ? hist.get(chosen - 1).heldOutLoss() : null);
            // for comparison only: the test errors after the epochs a fixed run would have stopped at
            if (hist.size() >= p.studentEpochs() && p.studentEpochs() > 0) {
                m.put("test_errors_at_student_epochs", hist.get(p.studentEpochs() - 1).testErrors());
            }
        }
        return m;
    }

    private Map<String, Object> sweep() throws IOException {
        float[] logits = teacherLogitsOnTrain(0);
        Map<String, Object> r = new LinkedHashMap<>();
        int epochs = s.preset().sweepEpochs();
        for (int hidden : new int[] {30, 300}) {
            float[] temps = hidden == 30 ? s.preset().smallTemps() : s.preset().bigTemps();
            List<Object> rows = new ArrayList<>();
            Net hard = student("sweep-" + hidden + "-hard", hidden, epochs, train, null, Targets.hard());
            int hardErrors = Eval.errors(hard, test);
            for (float t : temps) {
                Soft soft = Soft.of(logits, classes, t);
                String name = "sweep-" + hidden + "-T" + fmtT(t);
                Net net = student(name, hidden, epochs, train, soft, Targets.distill(t, 1f), s.preset().sweepLr());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("temperature", t);
                row.put("test_errors", Eval.errors(net, test));
                row.put("training_seconds", trainingSeconds(name));
                rows.add(row);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hidden", hidden);
            m.put("epochs", epochs);
            m.put("hard_label_test_errors", hardErrors);
            m.put("hard_label_training_seconds", trainingSeconds("sweep-" + hidden + "-hard"));
            m.put("by_temperature", rows);
            r.put("units_" + hidden, m);
        }
        return r;
    }

    /** Rows {@code indices} of teacher logits (n, classes): a subset of the transfer set. */
    private float[] rows(float[] all, int[] indices) {
        float[] out = new float[indices.length * classes];
        for (int k = 0; k < indices.length; k++) System.arraycopy(all, indices[k] * classes, out, k * classes, classes);
        return out;
    }

    private static List<Integer> list(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    static String fmtT(float t) {
        return t == Math.rint(t) ? Integer.toString((int) t) : Float.toString(t);
    }

    /** Held-out training examples: the last {@code heldOut} of the training set (never in a transfer set here). */
    private int heldOutStart() { return train.count() - heldOut(); }

    /** The preset's held-out count, at most a fifth of a (small, custom) training set. */
    private int heldOut() { return Math.min(s.preset().heldOut(), train.count() / 5); }

    private Map<String, Object> missingClasses(String name, java.util.function.IntPredicate keep, int[] shifted, String desc)
            throws IOException {
        float[] logits = teacherLogitsOnTrain(0);
        int[] idx = train.indicesWhere(keep, 0, heldOutStart());
        Dataset transfer = train.select(name + "-transfer", idx);
        Soft soft = Soft.of(rows(logits, idx), classes, temperature());
        int h = s.preset().studentHidden();
        Net net = student(name, h, s.preset().studentEpochs(), transfer, soft, Targets.distill(temperature(), 1f));
        Map<String, Object> r = modelResult(name, net, net.sizes(), desc);
        r.put("transfer_examples", transfer.count());
        int[] testLabels = test.labels();
        float[] testLogits = Eval.logits(net, test);
        r.put("test_errors_on_shifted_classes", errorsOn(testLogits, testLabels, shifted));
        r.put("test_count_of_shifted_classes", countOf(testLabels, shifted));
        // bias shift: the predicted frequency of the shifted classes on held-out data = their prior
        Dataset held = train.range("held-out", heldOutStart(), train.count());
        float[] heldLogits = Eval.logits(net, held);
        double delta = BiasShift.matchPrior(heldLogits, held.labels(), classes, shifted);
        BiasShift.apply(testLogits, test.count(), classes, shifted, delta);
        r.put("held_out_examples", held.count());
        r.put("bias_shift", delta);
        r.put("test_errors_after_shift", Eval.errors(testLogits, testLabels, test.count(), classes));
        r.put("test_errors_on_shifted_classes_after_shift", errorsOn(testLogits, testLabels, shifted));
        return r;
    }

    private int errorsOn(float[] logits, int[] labels, int[] shifted) {
        int e = 0;
        for (int c : shifted) e += Eval.errorsOnClass(logits, labels, classes, c);
        return e;
    }

    private static int countOf(int[] labels, int[] classes) {
        int n = 0;
        for (int y : labels) for (int c : classes) if (y == c) n++;
        return n;
    }

    private Map<String, Object> no3() throws IOException {
        return missingClasses("no3", y -> y != 3, new int[] {3},
                "2×" + s.preset().studentHidden() + " ReLU, soft targets at T = " + fmtT(temperature()) + ", transfer set without any 3");
    }

    private Map<String, Object> only78() throws IOException {
        return missingClasses("only78", y -> y == 7 || y == 8, new int[] {7, 8},
                "2×" + s.preset().studentHidden() + " ReLU, soft targets at T = " + fmtT(temperature()) + ", transfer set of 7s and 8s only");
    }

    private Map<String, Object> ensemble() throws IOException {
        int m = s.preset().ensembleSize();
        List<float[]> trainLogits = new ArrayList<>();
        List<float[]> testLogits = new ArrayList<>();
        List<Object> members = new ArrayList<>();
        for (int k = 0; k < m; k++) {
            Net t = teacher(k);
            trainLogits.add(teacherLogitsOnTrain(k));
            float[] tl = Eval.logits(t, test);
            testLogits.add(tl);
            Map<String, Object> mem = new LinkedHashMap<>();
            mem.put("name", k == 0 ? "teacher" : "teacher-" + (k + 1));
            mem.put("epochs", histories.getOrDefault(k == 0 ? "teacher" : "teacher-" + (k + 1), List.of()).size());
            mem.put("test_errors", Eval.errors(tl, test.labels(), test.count(), classes));
            if (k > 0) mem.put("training_seconds", trainingSeconds("teacher-" + (k + 1))); // k = 0 is the teacher experiment's
            members.add(mem);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("members", members);
        int h = s.preset().studentHidden();
        for (Ensemble.Combine how : Ensemble.Combine.values()) {
            String key = how.name().toLowerCase(Locale.ROOT);
            float[] p1 = Soft.ensemble(testLogits, classes, 1f, how).probabilities();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("ensemble_test_errors", Eval.errors(p1, test.labels(), test.count(), classes));
            Soft soft = Soft.ensemble(trainLogits, classes, temperature(), how);
            String name = "ensemble-" + key;
            Net net = student(name, h, s.preset().studentEpochs(), train, soft, Targets.distill(temperature(), 1f));
            e.put("distilled", modelResult(name, net, net.sizes(), "2×" + h + " ReLU distilled from the " + key
                    + " mean of " + m + " teachers at T = " + fmtT(temperature())));
            r.put(key, e);
        }
        return r;
    }

    // ------------------------------------------------------------------ results

    private void saveResult(String name, Map<String, Object> r) throws IOException {
        OutDir.saveResult(s.out(), name, r);
    }

    /** Parses "--only a,b" (in the canonical order, duplicates dropped). */
    public static Set<String> parseOnly(String csv) {
        if (csv == null || csv.isBlank()) return new LinkedHashSet<>(ALL);
        Set<String> wanted = new LinkedHashSet<>();
        for (String p : csv.split(",")) {
            String n = p.trim();
            if (n.isEmpty()) continue;
            if (!ALL.contains(n)) throw new IllegalArgumentException("unknown experiment '" + n + "' in --only; known: " + String.join(",", ALL));
            wanted.add(n);
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String n : ALL) if (wanted.contains(n)) ordered.add(n);
        return ordered;
    }
}
