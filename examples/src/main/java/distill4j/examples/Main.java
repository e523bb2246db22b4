package distill4j.examples;

import distill4j.examples.cli.Progress;
import distill4j.examples.demo.MixtureDemo;
import distill4j.examples.mnist.Mnist;
import distill4j.examples.mnist.MnistExperiments;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The distill4j command-line tool, run by the {@code ./distill4j} script:
 * <pre>
 *   ./distill4j demo [--seed N]
 *   ./distill4j mnist [--quick] [--only teacher,baseline,...] [--data DIR] [--out DIR] [--seed N] [--threads N]
 * </pre>
 */
public final class Main {
    static final String USAGE = """
            usage: distill4j demo [--seed N]     teacher, baseline student and distilled student on generated data (10-30 s)
                   distill4j mnist [options]     the MNIST experiments of Hinton et al. (2015), section 3

              --quick               small nets, a 10,000-image subset, few epochs: the whole pipeline in minutes
              --only LIST           comma-separated experiments to run, of: %s
                                    (the teacher is trained first whenever an experiment needs it)
              --data DIR            read the four IDX files (raw or .gz) from DIR instead of fetching MNIST
              --cache DIR           where fetched MNIST is kept (default $DISTILL4J_CACHE/mnist or ~/.cache/distill4j/mnist)
              --out DIR             results, checkpoints and the report (default runs/mnist or runs/mnist-quick)
              --seed N              master seed (default 1)
              --student-seed N      seed of the students alone (default: --seed); trained teachers are reused
              --threads N           worker threads of the SIMD backend (sets -Ddistill4j.threads)
              --backend NAME        scalar, simd or cuda (default: the best available)
              --teacher-epochs N    override the preset's teacher epochs (also --student-epochs for students on
                                    soft targets, --baseline-epochs for the hard-label baseline, --sweep-epochs)
              --train-subset N      use the first N training images
              --teacher-lr X        initial learning rate of the teachers (also --student-lr for students on
                                    soft targets, --hard-student-lr for students on hard labels only,
                                    --sweep-lr for the temperature sweep's soft-target students)
              --student-lr-decay F  every student's learning rate falls by the factor F over its run (default 0.1)
              --student-momentum M  every student's momentum rises from 0.5 to M over the first half of its run
                                    (default 0.95)
              --max-norm C          max-norm of each hidden unit's incoming weights (default sqrt(15) = 3.873)

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
     * The line shown for a failed run: an I/O error's own message (the project's name the file and what
     * is wrong); anything else, and the JDK's file-system errors (whose message is only a path), with its
     * class name.
     */
    static String describe(Exception e) {
        boolean plain = e instanceof java.io.IOException && !(e instanceof java.nio.file.FileSystemException)
                && e.getMessage() != null;
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
        if (!command.equals("mnist")) throw new IllegalArgumentException("unknown command '" + command + "'");
        boolean quick = false;
        String only = null;
        Path data = null, cache = null, outDir = null;
        long seed = 1;
        Long studentSeed = null;
        Integer teacherEpochs = null, studentEpochs = null, baselineEpochs = null, sweepEpochs = null, subset = null;
        Float teacherLr = null, studentLr = null, hardLr = null, sweepLr = null;
        Double lrDecay = null;
        Float studentMomentum = null;
        float maxNorm = (float) Math.sqrt(15);
        int stopAfter = -1;
        while (!a.isEmpty()) {
            String opt = a.pop();
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
                case "--teacher-epochs" -> teacherEpochs = nonNegative(value(a, opt), opt);
                case "--student-epochs" -> studentEpochs = nonNegative(value(a, opt), opt);
                case "--baseline-epochs" -> baselineEpochs = nonNegative(value(a, opt), opt);
                case "--sweep-epochs" -> sweepEpochs = nonNegative(value(a, opt), opt);
                case "--train-subset" -> subset = nonNegative(value(a, opt), opt);
                case "--teacher-lr" -> teacherLr = positive(value(a, opt), opt);
                case "--student-lr" -> studentLr = positive(value(a, opt), opt);
                case "--hard-student-lr" -> hardLr = positive(value(a, opt), opt);
                case "--sweep-lr" -> sweepLr = positive(value(a, opt), opt);
                case "--student-lr-decay" -> lrDecay = fraction(value(a, opt), opt);
                case "--student-momentum" -> {
                    studentMomentum = positive(value(a, opt), opt);
                    if (studentMomentum >= 1) throw new IllegalArgumentException("--student-momentum " + studentMomentum + " must be in (0, 1)");
                }
                case "--max-norm" -> {
                    maxNorm = Float.parseFloat(value(a, opt));
                    if (!(maxNorm >= 0)) throw new IllegalArgumentException("--max-norm " + maxNorm + " must be ≥ 0 (0 = none)");
                }
                case "--stop-after-epochs" -> stopAfter = nonNegative(value(a, opt), opt); // test hook: simulates a kill
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown option '" + opt + "'");
            }
        }
        MnistExperiments.Preset p = quick ? MnistExperiments.quick() : MnistExperiments.full();
        p = new MnistExperiments.Preset(p.name(), subset != null ? subset : p.trainSubset(), p.heldOut(), p.teacherHidden(),
                teacherEpochs != null ? teacherEpochs : p.teacherEpochs(), p.studentHidden(),
                studentEpochs != null ? studentEpochs : p.studentEpochs(),
                baselineEpochs != null ? baselineEpochs : p.baselineEpochs(), sweepEpochs != null ? sweepEpochs : p.sweepEpochs(),
                p.smallTemps(), p.bigTemps(), p.ensembleSize(), p.extraTeacherEpochs(), teacherLr != null ? teacherLr : p.teacherLr(),
                studentLr != null ? studentLr : p.studentLr(), hardLr != null ? hardLr : p.hardStudentLr(),
                sweepLr != null ? sweepLr : p.sweepLr(), lrDecay != null ? lrDecay : p.studentLrDecay(),
                studentMomentum != null ? studentMomentum : p.studentMomentum());
        if (outDir == null) outDir = Path.of(quick ? "runs/mnist-quick" : "runs/mnist");
        if (cache == null) cache = Mnist.defaultCacheDir();
        var settings = new MnistExperiments.Settings(p, outDir, data, cache, seed, studentSeed != null ? studentSeed : seed,
                MnistExperiments.parseOnly(only), maxNorm, stopAfter);
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

    /** A factor in (0, 1], kept in double: widening 0.1f would not give 0.1 and would shift every student's run. */
    private static double fraction(String v, String opt) {
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a number, got '" + v + "'");
        }
        if (!(d > 0 && d <= 1)) throw new IllegalArgumentException(opt + " " + d + " must be in (0, 1]");
        return d;
    }

    private static float positive(String v, String opt) {
        float f;
        try {
            f = Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a number, got '" + v + "'");
        }
        if (!(f > 0) || !Float.isFinite(f)) throw new IllegalArgumentException(opt + " " + f + " must be > 0");
        return f;
    }

    private static int nonNegative(String v, String opt) {
        long n = parseLong(v, opt);
        if (n < 0 || n > Integer.MAX_VALUE) throw new IllegalArgumentException(opt + " " + n + " must be ≥ 0");
        return (int) n;
    }

}
