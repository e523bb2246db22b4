package distill4j.examples;

import distill4j.examples.cli.Progress;
import distill4j.examples.demo.MixtureDemo;
import distill4j.examples.mnist.Mnist;
import distill4j.examples.mnist.MnistExperiments;
import distill4j.examples.mnist.Preset;
import distill4j.examples.train.OutDir;
import distill4j.examples.train.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Deque;

/**
 * The distill4j command-line tool, run by the {@code ./distill4j} script:
 * <pre>
 *   ./distill4j demo [--seed N]
 *   ./distill4j mnist [--quick] [--only teacher,baseline,...] [--data DIR] [--out DIR] [--seed N] [--threads N]
 *   ./distill4j speech [--quick] [--out DIR] [--seed N] [--threads N] ...   (see {@link distill4j.examples.speech.SpeechMain})
 *   ./distill4j speech-data [--quick] [--seed N] [--corpus DIR] [--install]
 *   ./distill4j specialists [--quick] [--out DIR] [--specialists K] ...   (see {@link distill4j.examples.specialists.SpecialistsMain})
 * </pre>
 */
public final class Main {
    static final String USAGE = """
            usage: distill4j demo [--seed N]     teacher, baseline student and distilled student on generated data (10-30 s)
                   distill4j mnist [options]     the MNIST experiments of Hinton et al. (2015), section 3, on MNIST
                                                 or on any image data set in IDX files (--data)
                   distill4j speech [--quick] [options]  the speech-frame experiments, §4 (Table 1) and §6, on a
                                                 synthetic flite corpus (speech --help for its options)
                   distill4j speech-data [--quick] build/verify the speech corpus and print its summary
                   distill4j specialists [--quick] [options]  specialists for confusable classes (§5) on the speech
                                                 corpus (specialists --help for its options)

            data and output
              --quick               small nets, a 10,000-image subset, few epochs: the whole pipeline in minutes
              --only LIST           comma-separated experiments to run, of: %s
                                    (the teacher is trained first whenever an experiment needs it)
              --data DIR            any IDX image data set instead of MNIST: DIR holds train-images-idx3-ubyte,
                                    train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw
                                    or .gz (also spelled train-images.idx3-ubyte); classes 0..K-1 from the labels.
                                    E.g. Fashion-MNIST: apt-get install dataset-fashion-mnist, then
                                    --data /usr/share/datasets/fashion-mnist. The paper's figures are printed beside
                                    ours only for the official MNIST files.
              --cache DIR           where fetched MNIST is kept (default $DISTILL4J_CACHE/mnist or ~/.cache/distill4j/mnist)
              --out DIR             results, checkpoints and the report (default runs/mnist or runs/mnist-quick);
                                    checked before anything is trained
              --validation N        set the last N images of the training file aside as validation data (never
                                    trained on) and report every model's errors on them: choose settings there,
                                    not on the test set (default 0)
              --train-subset N      use the first N training images
              --seed N              master seed (default 1)
              --student-seed N      seed of the students alone (default: --seed); trained teachers are reused
              --threads N           worker threads of the SIMD backend (sets -Ddistill4j.threads)
              --backend NAME        scalar, simd or cuda (default: the best available)

            distillation
              --temperature T       temperature of the soft targets and of the students' softmax (default 20, the
                                    paper's; the temperature sweep keeps its own list of T)
              --alpha A             weight of the soft term of "distilled-hard", 1 - A on the labels (default 0.9)

            the teacher's recipe (the paper's by default)
              --dropout IN,HIDDEN   dropout on the input pixels and on the hidden units (default 0.2,0.5)
              --jitter PX           translate the teacher's inputs by up to PX pixels (default 2; 0 = none)
              --max-norm C          max-norm of each hidden unit's incoming weights (default sqrt(15) = 3.873; 0 = none)
              --teacher-lr X        initial learning rate of the teachers (default 0.5)

            sizes and schedules
              --teacher-epochs N    override the preset's teacher epochs (also --student-epochs for students on
                                    soft targets, --baseline-epochs for the hard-label baseline, --sweep-epochs)
              --student-patience N  the two distilled students train on the training set minus its held-out
                                    images and stop once their loss on those has not improved for N epochs
                                    (counted from the end of their momentum ramp), keeping the best epoch
                                    (default 0: --student-epochs epochs on every training image)
              --student-max-epochs N  at most N epochs for them (default 150, quick 40); their learning rate
                                    and momentum follow the --student-epochs run's schedule, continued
              --student-lr X        initial learning rate of students on soft targets (default 0.1; also
                                    --hard-student-lr for students on hard labels only (0.3), --sweep-lr for the
                                    temperature sweep's soft-target students (0.03))
              --student-lr-decay F  every student's learning rate falls by the factor F over its run (default 0.1)
              --student-momentum M  every student's momentum rises from 0.5 to M over the first half of its run
                                    (default 0.95)

            An interrupted run (Ctrl-C, kill -9) resumes from its last completed epoch when run again with the
            same options and --out; it ends with the same weights as an uninterrupted run (same backend).
            """.formatted(String.join(",", MnistExperiments.ALL));

    private Main() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int rc;
        try {
            rc = run(args, System.out, Progress.stdoutIsTerminal());
        } catch (IllegalArgumentException e) {
            System.err.println("distill4j: " + e.getMessage());
            System.err.println("(run with --help for usage)");
            rc = 2;
        } catch (Exception e) {
            System.err.println("distill4j: " + describe(e));
            if (System.getenv("DISTILL4J_DEBUG") != null) e.printStackTrace();
            rc = 1;
        }
        System.exit(rc);
    }

    /**
     * The line shown for a failed run: it names the file and the fix. An I/O error of the project carries
     * both in its message; the JDK's file-system errors carry only a path, so the reason and a fix are
     * added here; anything else is shown with its class name.
     */
    public static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String what = f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : f instanceof java.nio.file.NotDirectoryException ? "not a directory"
                    : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : f instanceof java.nio.file.DirectoryNotEmptyException ? "directory not empty"
                    : f.getReason() != null ? f.getReason() : "file-system error";
            String file = f.getFile() != null ? f.getFile() : "(unknown file)";
            String other = f.getOtherFile() != null ? " (and " + f.getOtherFile() + ")" : "";
            return "cannot use " + file + other + ": " + what + (f.getReason() != null && !what.equals(f.getReason())
                    ? " (" + f.getReason() + ")" : "") + "; check that the path exists and is writable by you, or pass"
                    + " another --out / --data / --cache";
        }
        boolean plain = (e instanceof java.io.IOException || e instanceof Trainer.Diverged) && e.getMessage() != null;
        return plain ? e.getMessage() : e.toString();
    }

    /** Runs a command; returns the exit status. */
    public static int run(String[] args, PrintStream out, boolean terminal) throws Exception {
        Deque<String> a = new ArrayDeque<>(Arrays.asList(args));
        if (a.isEmpty() || a.peek().equals("--help") || a.peek().equals("-h") || a.peek().equals("help")) {
            out.print(USAGE);
            return a.isEmpty() ? 2 : 0;
        }
        String command = a.pop();
        if (command.equals("demo")) return demo(a, out);
        if (command.equals("speech")) return distill4j.examples.speech.SpeechMain.run(a, out, terminal);
        if (command.equals("specialists")) return distill4j.examples.specialists.SpecialistsMain.run(a, out, terminal);
        if (command.equals("speech-data")) return distill4j.examples.speech.SpeechCommand.run(a.toArray(new String[0]), out);
        if (!command.equals("mnist")) throw new IllegalArgumentException("unknown command '" + command + "'");
        boolean quick = false;
        String only = null;
        Path data = null, cache = null, outDir = null;
        long seed = 1;
        Long studentSeed = null;
        int stopAfter = -1;
        // the options in order; each is applied to the preset (quick or full) once that is known
        List<Runnable> applied = new ArrayList<>();
        List<String> options = new ArrayList<>();
        Preset.Builder[] b = new Preset.Builder[1];
        while (!a.isEmpty()) {
            String opt = a.pop();
            String shown = a.isEmpty() ? opt : opt + " " + a.peek();
            switch (opt) {
                case "--quick" -> quick = true;
                case "--only" -> only = value(a, opt);
                case "--data" -> data = Path.of(value(a, opt));
                case "--cache" -> cache = Path.of(value(a, opt));
                case "--out" -> outDir = Path.of(value(a, opt));
                case "--seed" -> seed = parseLong(value(a, opt), opt);
                case "--student-seed" -> studentSeed = parseLong(value(a, opt), opt);
                case "--threads" -> {
                    int t = (int) parseLong(value(a, opt), opt);
                    if (t < 1) throw new IllegalArgumentException("--threads " + t + " must be ≥ 1");
                    System.setProperty("distill4j.threads", Integer.toString(t));
                }
                case "--backend" -> System.setProperty("distill4j.backend", value(a, opt));
                case "--teacher-epochs" -> { int v = parseInt(value(a, opt), opt); applied.add(() -> b[0].teacherEpochs(v)); }
                case "--student-epochs" -> { int v = parseInt(value(a, opt), opt); applied.add(() -> b[0].studentEpochs(v)); }
                case "--student-max-epochs" -> { int v = parseInt(value(a, opt), opt); applied.add(() -> b[0].studentMaxEpochs(v)); }
                case "--student-patience" -> { int v = parseInt(value(a, opt), opt); applied.add(() -> b[0].studentPatience(v)); }
                case "--baseline-epochs" -> { int v = parseInt(value(a, opt), opt); applied.add(() -> b[0].baselineEpochs(v)); }
                case "--sweep-epochs" -> { int v = parseInt(value(a, opt), opt); applied.add(() -> b[0].sweepEpochs(v)); }
                case "--train-subset" -> { int v = parseInt(value(a, opt), opt); applied.add(() -> b[0].trainSubset(v)); }
                case "--validation" -> { int v = parseInt(value(a, opt), opt); applied.add(() -> b[0].validation(v)); }
                case "--teacher-lr" -> { float v = parseFloat(value(a, opt), opt); applied.add(() -> b[0].teacherLr(v)); }
                case "--student-lr" -> { float v = parseFloat(value(a, opt), opt); applied.add(() -> b[0].studentLr(v)); }
                case "--hard-student-lr" -> { float v = parseFloat(value(a, opt), opt); applied.add(() -> b[0].hardStudentLr(v)); }
                case "--sweep-lr" -> { float v = parseFloat(value(a, opt), opt); applied.add(() -> b[0].sweepLr(v)); }
                // kept in double: widening 0.1f would not give 0.1 and would shift every student's run
                case "--student-lr-decay" -> { double v = parseDouble(value(a, opt), opt); applied.add(() -> b[0].studentLrDecay(v)); }
                case "--student-momentum" -> { float v = parseFloat(value(a, opt), opt); applied.add(() -> b[0].studentMomentum(v)); }
                case "--max-norm" -> { float v = parseFloat(value(a, opt), opt); applied.add(() -> b[0].maxNorm(v)); }
                case "--temperature" -> { float v = parseFloat(value(a, opt), opt); applied.add(() -> b[0].temperature(v)); }
                case "--alpha" -> { float v = parseFloat(value(a, opt), opt); applied.add(() -> b[0].alpha(v)); }
                case "--jitter" -> { int v = parseInt(value(a, opt), opt); applied.add(() -> b[0].jitter(v)); }
                case "--dropout" -> {
                    String v = value(a, opt);
                    String[] parts = v.split(",");
                    if (parts.length != 2) throw new IllegalArgumentException(opt + " needs two rates IN,HIDDEN (e.g. 0.2,0.5), got '" + v + "'");
                    float in = parseFloat(parts[0], opt), hidden = parseFloat(parts[1], opt);
                    applied.add(() -> b[0].dropout(in, hidden));
                }
                case "--stop-after-epochs" -> stopAfter = parseInt(value(a, opt), opt); // test hook: simulates a kill
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option '" + opt + "'");
            }
            if (applied.size() > options.size()) options.add(shown);
        }
        b[0] = (quick ? Preset.quick() : Preset.full()).toBuilder();
        for (int i = 0; i < applied.size(); i++) {
            applied.get(i).run();
            try {
                b[0].build(); // the preset checks each value once; the message names the option that set it
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(options.get(i) + ": " + e.getMessage(), e);
            }
        }
        Preset p = b[0].build();
        if (outDir == null) outDir = Path.of(quick ? "runs/mnist-quick" : "runs/mnist");
        OutDir.prepare(outDir, out);
        if (cache == null) cache = Mnist.defaultCacheDir();
        var settings = new MnistExperiments.Settings(p, outDir, data, cache, seed, studentSeed != null ? studentSeed : seed,
                MnistExperiments.parseOnly(only), stopAfter);
        new MnistExperiments(settings, out, new Progress(out, terminal)).run();
        return 0;
    }

    /** {@code demo [--seed N]}: the generated-data demo, {@link MixtureDemo}. */
    private static int demo(Deque<String> a, PrintStream out) {
        MixtureDemo.Config c = MixtureDemo.standard();
        while (!a.isEmpty()) {
            String opt = a.pop();
            switch (opt) {
                case "--seed" -> c = c.withSeed(parseLong(value(a, opt), opt));
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option '" + opt + "' for demo");
            }
        }
        MixtureDemo.run(c, out);
        return 0;
    }

    private static String value(Deque<String> a, String opt) {
        if (a.isEmpty()) throw new IllegalArgumentException(opt + " needs a value");
        return a.pop();
    }

    private static long parseLong(String v, String opt) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs an integer, got '" + v + "'");
        }
    }

    private static int parseInt(String v, String opt) {
        long n = parseLong(v, opt);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) throw new IllegalArgumentException(opt + " " + n + " is out of range");
        return (int) n;
    }

    private static double parseDouble(String v, String opt) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a number, got '" + v + "'");
        }
    }

    private static float parseFloat(String v, String opt) {
        try {
            return Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a number, got '" + v + "'");
        }
    }
}
