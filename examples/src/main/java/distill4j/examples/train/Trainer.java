package distill4j.examples.train;

import distill4j.engine.Batches;
import distill4j.engine.io.StateDict;
import distill4j.engine.optim.Schedule;
import distill4j.engine.io.Json;
import distill4j.examples.cli.Progress;
import distill4j.examples.data.Dataset;
import distill4j.examples.data.Examples;
import distill4j.examples.data.Jitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link Net} for a number of epochs with a checkpoint after every epoch, so that a run that
 * is interrupted at any point — even by SIGKILL — resumes from its last completed epoch and ends with
 * the same weights as an uninterrupted run. Everything random is a pure function of (seed, epoch,
 * index) or saved: the example order of epoch e comes from (seed, e), jitter from (seed, e, example),
 * dropout masks from (seed, step) with the step counter saved, and momentum buffers are saved.
 * Checkpoints are written atomically (temp file, fsync, rename), so a kill leaves the old or the new one.
 */
public final class Trainer {
    /** Batches per progress-bar update of the displayed loss (a running mean). */
    private static final int LOSS_WINDOW = 50;

    /**
     * What to train, fully determining the run (together with the data and the net's options): the
     * engine's schedules give the learning rate and momentum of each epoch.
     */
    public record Plan(String name, int epochs, int batchSize, Schedule lr, Schedule momentum, int jitterPixels,
                       Targets targets, long seed, boolean warmup) {
        public Plan {
            if (epochs < 0) throw new IllegalArgumentException(name + ": epochs " + epochs + " < 0");
            if (batchSize <= 0) throw new IllegalArgumentException(name + ": batch size " + batchSize + " must be > 0");
        }

        /** A plan without warm-up. */
        public Plan(String name, int epochs, int batchSize, Schedule lr, Schedule momentum, int jitterPixels,
                    Targets targets, long seed) {
            this(name, epochs, batchSize, lr, momentum, jitterPixels, targets, seed, false);
        }

        /**
         * The same plan with a linear learning-rate warm-up over the first epoch: batch b of B in epoch 0
         * steps with lr(0) · (b + 1) / B; later epochs follow the schedule.
         */
        public Plan withWarmup() {
            return new Plan(name, epochs, batchSize, lr, momentum, jitterPixels, targets, seed, true);
        }

        /** The learning rate of batch {@code b} of {@code batches} in {@code epoch}. */
        float lrAt(int epoch, int b, int batches) {
            float v = lr.at(epoch);
            return warmup && epoch == 0 ? v * (b + 1) / batches : v;
        }

        /** A stable description (schedules by their values at every epoch, hashed). */
        String describe() {
            StringBuilder values = new StringBuilder();
            for (int e = 0; e < epochs; e++) values.append(lr.at(e)).append('/').append(momentum.at(e)).append(' ');
            String first = epochs > 0 ? "lr " + lr.at(0) + "→" + lr.at(epochs - 1) + ", momentum " + momentum.at(0) + "→"
                    + momentum.at(epochs - 1) : "no epochs";
            return "Plan[" + name + ", epochs " + epochs + ", batch " + batchSize + ", " + first + " (schedule "
                    + Dataset.sha256(values.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .substring(0, 12) + ")" + (warmup ? ", warm-up 1 epoch" : "") + ", jitter " + jitterPixels + ", " + targets + ", seed " + seed + "]";
        }
    }

    /**
     * One epoch's figures. trainErrors are counted in training mode (dropout, jitter) against the labels;
     * heldOutLoss is the {@link Stop#heldOutLoss} criterion's value after the epoch (NaN when not measured).
     */
    public record Epoch(int epoch, double trainLoss, int trainErrors, int testErrors, float lr, float momentum, double seconds,
                        double heldOutLoss) {
        /** An epoch without a held-out loss. */
        public Epoch(int epoch, double trainLoss, int trainErrors, int testErrors, float lr, float momentum, double seconds) {
            this(epoch, trainLoss, trainErrors, testErrors, lr, momentum, seconds, Double.NaN);
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", epoch); m.put("train_loss", trainLoss); m.put("train_errors", trainErrors);
            m.put("test_errors", testErrors); m.put("lr", lr); m.put("momentum", momentum);
            m.put("seconds", seconds);
            if (!Double.isNaN(heldOutLoss)) m.put("held_out_loss", heldOutLoss); // absent: histories stay as before
            return m;
        }

        static Epoch fromJson(Map<?, ?> m) {
            Object held = m.get("held_out_loss");
            return new Epoch(((Number) m.get("epoch")).intValue(), ((Number) m.get("train_loss")).doubleValue(),
                    ((Number) m.get("train_errors")).intValue(), ((Number) m.get("test_errors")).intValue(),
                    ((Number) m.get("lr")).floatValue(), ((Number) m.get("momentum")).floatValue(),
                    ((Number) m.get("seconds")).doubleValue(), held instanceof Number h ? h.doubleValue() : Double.NaN);
        }
    }

    /**
     * What early stopping watches after each epoch, lower being better: the evaluation set's errors
     * ({@link #evaluationErrors}, the {@code test} of {@link #train}, e.g. a speech dev set), or the
     * run's own loss on held-out examples of its transfer set ({@link #heldOutLoss}), so that the test
     * set is only reported, never used to choose.
     */
    public interface Stop {
        /** What is watched, for messages ("evaluation errors", "held-out loss"). */
        String what();

        /** Appended to the run's configuration key: a different criterion trains a model of its own. */
        String key();

        /** Measures the net after an epoch; NaN when the criterion reads a figure the trainer records anyway. */
        double measure(Net net);

        /** The value of a finished epoch. */
        double of(Epoch e);

        /** The evaluation set's errors (what {@link #earlyStopping(int)} watches). */
        static Stop evaluationErrors() {
            return new Stop() {
                public String what() { return "evaluation error"; }
                public String key() { return ""; } // the key of the runs made before criteria existed
                public double measure(Net net) { return Double.NaN; }
                public double of(Epoch e) { return e.testErrors(); }
            };
        }

        /**
         * The run's own training loss on held-out examples (eval mode, no dropout or jitter): the
         * {@link Targets}' loss against {@code soft}, the teacher's soft targets of those examples at the
         * plan's T, and their labels for the hard term; shown, like the training loss, as KL
         * ({@link Eval#loss}).
         */
        static Stop heldOutLoss(Examples heldOut, Soft soft, Targets targets) {
            if (heldOut.count() == 0) throw new IllegalArgumentException("held-out loss: no held-out examples");
            if (targets.usesSoft() && (soft == null || soft.count() != heldOut.count())) {
                throw new IllegalArgumentException("held-out loss: " + (soft == null ? "no" : soft.count()) + " soft targets for "
                        + heldOut.count() + " held-out examples");
            }
            String fingerprint = heldOut.name() + ":" + heldOut.fingerprint().substring(0, 16) + (soft == null ? ""
                    : " soft=" + Dataset.sha256(floatBytes(soft.probabilities())).substring(0, 16));
            return new Stop() {
                public String what() { return "held-out loss"; }
                public String key() { return " on held-out loss " + targets + " of " + heldOut.count() + " examples " + fingerprint; }
                public double measure(Net net) { return Eval.loss(net, heldOut, targets, soft == null ? null : soft.probabilities()); }
                public double of(Epoch e) { return e.heldOutLoss(); }
            };
        }
    }

    /** A model whose loss became NaN or infinite: the message names it, its checkpoint and the options to change. */
    public static final class Diverged extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Diverged(String m, Throwable cause) { super(m, cause); }
    }

    /** Thrown by the test hook {@code stopAfterEpochs}: simulates a run killed after an epoch. */
    public static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        Interrupted(String m) { super(m); }
    }

    private final Progress progress;
    private int stopAfterEpochs = -1;
    private int patience = 0;
    private int countFrom = 0;
    private Stop stop = Stop.evaluationErrors();

    public Trainer(Progress progress) {
        this.progress = progress;
    }

    /**
     * Early stopping on the evaluation set ({@code test} of {@link #train}, e.g. a dev set): after each
     * epoch the weights are kept in {@code best.safetensors} beside the checkpoint when that epoch has the
     * fewest evaluation errors so far (the earliest on ties); training stops once {@code patience} epochs
     * in a row brought no improvement, and the returned net holds the best epoch's weights. 0 = off.
     * The patience is part of the run's configuration key; a resumed run stops where it would have.
     */
    public Trainer earlyStopping(int patience) {
        return earlyStopping(patience, Stop.evaluationErrors());
    }

    /**
     * Early stopping as above on another criterion, e.g. {@link Stop#heldOutLoss}: an epoch is better
     * only when its value is strictly lower than every earlier one's.
     */
    public Trainer earlyStopping(int patience, Stop criterion) {
        return earlyStopping(patience, criterion, 0);
    }

    /**
     * As above, but the patience is only counted from epoch {@code countFrom} on: training stops once
     * {@code patience} epochs have passed since the later of the best epoch and {@code countFrom}. For a
     * schedule that is still changing early on (momentum rising), whose transient bumps in the criterion
     * must not end the run; the best epoch may still be an earlier one. Part of the configuration key.
     */
    public Trainer earlyStopping(int patience, Stop criterion, int countFrom) {
        if (patience < 0) throw new IllegalArgumentException("patience " + patience + " < 0");
        if (countFrom < 0) throw new IllegalArgumentException("early stopping counted from epoch " + countFrom + " < 0");
        this.patience = patience;
        this.countFrom = countFrom;
        this.stop = java.util.Objects.requireNonNull(criterion, "criterion");
        return this;
    }

    /** The epoch (1-based) with the fewest evaluation errors in a history, the earliest on ties; 0 if empty. */
    public static int bestEpoch(List<Epoch> history) {
        return bestEpoch(history, Stop.evaluationErrors());
    }

    /** The epoch (1-based) with the lowest value of the criterion in a history, the earliest on ties; 0 if empty. */
    public static int bestEpoch(List<Epoch> history, Stop criterion) {
        int best = 0;
        double lowest = Double.POSITIVE_INFINITY;
        for (Epoch e : history) {
            double v = criterion.of(e);
            if (v < lowest || best == 0) { lowest = v; best = e.epoch(); }
        }
        return best;
    }

    private boolean patienceExhausted(List<Epoch> history) {
        return patience > 0 && !history.isEmpty()
                && history.get(history.size() - 1).epoch() - Math.max(countFrom, bestEpoch(history, stop)) >= patience;
    }

    /** Test hook: throw {@link Interrupted} after this many epochs of this process (−1 = never). */
    public Trainer stopAfterEpochs(int n) {
        this.stopAfterEpochs = n;
        return this;
    }

    /**
     * Trains (or resumes, or just loads when already done) the run whose checkpoint is
     * {@code dir/CONFIG/checkpoint.safetensors}, CONFIG a hash of everything that determines the run. {@code soft} (train.count, classes) are the soft targets of the
     * training set at the plan's temperature, or null for hard labels only. Returns the per-epoch history.
     */
    public List<Epoch> train(Plan plan, Net net, String netConfig, Examples train, Soft softTargets, Examples test, Path dir)
            throws IOException {
        if (softTargets != null && plan.targets().usesSoft() && softTargets.temperature() != plan.targets().temperature()) {
            throw new IllegalArgumentException(plan.name() + ": soft targets computed at T = " + softTargets.temperature()
                    + " but the student's loss uses T = " + plan.targets().temperature() + "; both must be the same T");
        }
        float[] soft = softTargets == null ? null : softTargets.probabilities();
        int classes = net.sizes()[net.sizes().length - 1];
        int features = train.features();
        if (net.sizes()[0] != features) {
            throw new IllegalArgumentException(plan.name() + ": net takes " + net.sizes()[0] + " inputs, images have " + features);
        }
        if (plan.targets().usesSoft() && (soft == null || soft.length != train.count() * classes)) {
            throw new IllegalArgumentException(plan.name() + ": soft targets of length " + (soft == null ? "null" : soft.length)
                    + " for " + train.count() + " examples × " + classes + " classes");
        }
        String config = configKey(plan, netConfig, train, soft) + (patience > 0 ? " early-stop patience " + patience + stop.key()
                + (countFrom > 0 ? " counted from epoch " + countFrom : "") : "");
        // one directory per configuration: changing an option trains a new model beside the old one
        Path ckpt = dir.resolve(Dataset.sha256(config.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 12)).resolve("checkpoint.safetensors");
        List<Epoch> history = new ArrayList<>();
        int start = 0;
        if (Files.exists(ckpt)) {
            StateDict s = StateDict.read(ckpt);
            String saved = s.metadata().get("config");
            if (!config.equals(saved)) {
                throw new IllegalStateException(plan.name() + ": " + ckpt + " was written by a different configuration;"
                        + " use another --out directory or delete it.\n  saved:   " + saved + "\n  current: " + config);
            }
            net.load(s, ckpt.toString());
            String backend = distill4j.kernels.Backends.get().name();
            String savedBackend = s.metadata().get("backend");
            if (savedBackend != null && !savedBackend.equals(backend) && s.scalar("counter.epochs_done") < plan.epochs()) {
                progress.message(plan.name() + ": warning: this run was started on the " + savedBackend + " backend and"
                        + " continues on " + backend + "; it will not be bit-identical to an uninterrupted run");
            }
            start = (int) s.scalar("counter.epochs_done");
            try {
                for (Object o : (List<?>) Json.parse(s.metadata().get("history"))) history.add(Epoch.fromJson((Map<?, ?>) o));
            } catch (Json.ParseException | RuntimeException e) {
                throw new IOException(ckpt + ": unreadable training history in the metadata: " + e.getMessage(), e);
            }
            progress.message(start < plan.epochs() && !patienceExhausted(history) ? plan.name() + ": resuming after epoch " + start + " of " + plan.epochs()
                    : plan.name() + ": finished earlier (" + start + " epochs), loaded from " + ckpt);
        }
        Jitter jitter = plan.jitterPixels() > 0 ? new Jitter(plan.seed(), plan.jitterPixels()) : null;
        int n = train.count(), bs = plan.batchSize();
        float[] x = new float[bs * features];
        int[] y = new int[bs];
        float[] softBatch = plan.targets().usesSoft() ? new float[bs * classes] : null;
        float[] logits = new float[bs * classes];
        int batches = (n + bs - 1) / bs;
        int ranThisProcess = 0;
        Path best = ckpt.resolveSibling("best.safetensors");
        for (int epoch = start; epoch < plan.epochs() && !patienceExhausted(history); epoch++) {
            long t0 = System.nanoTime();
            float lr = plan.lr().at(epoch), mom = plan.momentum().at(epoch);
            int[] order = permutation(n, plan.seed(), epoch);
            progress.start(String.format(Locale.ROOT, "%-12s %3d/%d", plan.name(), epoch + 1, plan.epochs()), batches);
            double lossSum = 0, windowSum = 0;
            int windowCount = 0, errors = 0;
            for (int bi = 0; bi < batches; bi++) {
                int from = bi * bs, to = Math.min(n, from + bs), rows = to - from;
                train.batch(order, from, to, x, y, jitter, epoch);
                if (softBatch != null) {
                    for (int k = 0; k < rows; k++) System.arraycopy(soft, order[from + k] * classes, softBatch, k * classes, classes);
                }
                double loss;
                try {
                    loss = net.trainStep(x, rows, new Targets.Batch(plan.targets(), y, softBatch),
                            plan.lrAt(epoch, bi, batches), mom, logits);
                } catch (ArithmeticException diverged) {
                    // the engine's loss check: say which model, where its last good state is, and what to change
                    throw new Diverged(plan.name() + " diverged in epoch " + (epoch + 1) + ", batch " + (bi + 1) + " ("
                            + diverged.getMessage() + "); its last completed epoch is in " + ckpt + ". Run again with a lower"
                            + " learning rate for this model (--teacher-lr, --student-lr, --hard-student-lr or --sweep-lr)"
                            + (plan.targets().usesSoft() ? " or a lower --temperature" : ""), diverged);
                }
                lossSum += loss * rows;
                windowSum += loss;
                windowCount++;
                errors += Eval.errors(logits, y, rows, classes);
                if (windowCount == LOSS_WINDOW || bi == batches - 1) {
                    progress.update(bi + 1, String.format(Locale.ROOT, "loss %.4f", windowSum / windowCount));
                    windowSum = 0;
                    windowCount = 0;
                }
            }
            int testErrors = Eval.errors(net, test);
            double held = patience > 0 ? stop.measure(net) : Double.NaN;
            double secs = (System.nanoTime() - t0) / 1e9;
            Epoch e = new Epoch(epoch + 1, lossSum / n, errors, testErrors, lr, mom, secs, held);
            history.add(e);
            progress.finish(String.format(Locale.ROOT, "loss %.4f  train err %.2f%%  test errors %d (%.2f%%)%s  %.1fs/epoch",
                    e.trainLoss(), 100.0 * errors / n, testErrors, 100.0 * testErrors / Math.max(1, test.count()),
                    Double.isNaN(held) ? "" : String.format(Locale.ROOT, "  held-out loss %.4f", held), secs));
            // the best epoch's weights first: a kill between the two writes reruns this epoch, bit for bit
            if (patience > 0 && bestEpoch(history, stop) == epoch + 1) save(best, net, config, epoch + 1, history);
            save(ckpt, net, config, epoch + 1, history);
            ranThisProcess++;
            if (patienceExhausted(history)) {
                int kept = bestEpoch(history, stop);
                progress.message(String.format(Locale.ROOT, "%s: early stop after epoch %d (no better %s in the %d epochs"
                        + " after epoch %d); keeping epoch %d", plan.name(), epoch + 1, stop.what(), patience,
                        Math.max(countFrom, kept), kept));
            }
            if (stopAfterEpochs >= 0 && ranThisProcess >= stopAfterEpochs && epoch + 1 < plan.epochs()) {
                throw new Interrupted(plan.name() + ": stopped after epoch " + (epoch + 1) + " (test hook)");
            }
        }
        if (!Files.exists(ckpt)) save(ckpt, net, config, 0, history); // zero epochs: keep the initial weights
        if (patience > 0 && Files.exists(best)) {
            StateDict s = StateDict.read(best);
            if (!config.equals(s.metadata().get("config"))) {
                throw new IllegalStateException(plan.name() + ": " + best + " was written by a different configuration;"
                        + " use another --out directory or delete it");
            }
            net.load(s, best.toString());
        }
        return history;
    }

    private static void save(Path ckpt, Net net, String config, int epochsDone, List<Epoch> history) throws IOException {
        Files.createDirectories(ckpt.getParent());
        StateDict s = net.state();
        StateDict.Builder b = StateDict.builder();
        s.arrays().values().forEach(b::array);
        s.scalars().forEach(b::scalar);
        s.metadata().forEach(b::metadata);
        b.scalar("counter.epochs_done", epochsDone);
        b.metadata("config", config);
        b.metadata("backend", distill4j.kernels.Backends.get().name());
        List<Object> h = new ArrayList<>();
        for (Epoch e : history) h.add(e.toJson());
        b.metadata("history", Json.write(h));
        b.build().write(ckpt);
    }

    /** The example order of an epoch: the engine's {@link Batches#epochOrder} (Fisher–Yates seeded by (seed, epoch)). */
    public static int[] permutation(int n, long seed, int epoch) {
        return Batches.epochOrder(n, seed, epoch);
    }

    private static String configKey(Plan plan, String netConfig, Examples train, float[] soft) {
        StringBuilder sb = new StringBuilder();
        sb.append(plan.describe()).append(" net=").append(netConfig).append(" data=").append(train.name()).append(':')
                .append(train.fingerprint(), 0, 16);
        if (soft != null && plan.targets().usesSoft()) {
            sb.append(" soft=").append(Dataset.sha256(floatBytes(soft)), 0, 16);
        }
        return sb.toString();
    }

    private static byte[] floatBytes(float[] v) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 * v.length);
        buf.asFloatBuffer().put(v);
        return buf.array();
    }
}
