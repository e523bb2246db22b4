package distill4j.examples.demo;

import distill4j.engine.Batches;
import distill4j.engine.Tensor;
import distill4j.engine.distill.SoftTargets;
import distill4j.engine.distill.Teacher;
import distill4j.engine.loss.DistillationLoss;
import distill4j.engine.loss.Losses;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.MaxNorm;
import distill4j.engine.optim.SGD;
import java.io.PrintStream;
import java.util.SplittableRandom;

/**
 * Distillation in one minute, on generated data: a many-class Gaussian-mixture task where each class is
 * several blobs, so the decision regions are irregular and a small training set leaves a small net room
 * to overfit. Three models are trained from a fixed seed on the same few labelled examples:
 * <ol>
 *   <li>a <b>teacher</b>: wide ReLU net, dropout, max-norm;</li>
 *   <li>a <b>baseline student</b>: a small net, hard labels only, no regularisation;</li>
 *   <li>a <b>distilled student</b>: the same small net, same initial weights, trained on
 *       α·T²·CE(softmax(v/T), softmax(z/T)) + (1−α)·CE(y, softmax(z)).</li>
 * </ol>
 * and their accuracies on held-out data are printed side by side.
 */
public final class MixtureDemo {
    /** Sizes of the task and the models; {@link #standard()} is what {@code ./distill4j demo} runs. */
    public record Config(int classes, int blobsPerClass, int dim, float noise, int train, int test,
                         int teacherHidden, int studentHidden, int teacherEpochs, int studentEpochs,
                         float temperature, float alpha, long seed) {
        public Config {
            if (classes < 2 || blobsPerClass < 1 || dim < 1 || train < 1 || test < 1) {
                throw new IllegalArgumentException("demo: sizes must be positive and classes ≥ 2, got classes " + classes
                        + ", blobs " + blobsPerClass + ", dim " + dim + ", train " + train + ", test " + test);
            }
        }

        /** This config with another seed (data, blob centres and initial weights all follow it). */
        public Config withSeed(long newSeed) {
            return new Config(classes, blobsPerClass, dim, noise, train, test, teacherHidden, studentHidden,
                    teacherEpochs, studentEpochs, temperature, alpha, newSeed);
        }
    }

    /** Test accuracies of the three models. */
    public record Result(double teacher, double baseline, double distilled) {}

    public static Config standard() {
        return new Config(16, 3, 12, 0.55f, 2000, 10000, 512, 48, 60, 60, 4f, 0.9f, 1);
    }

    private MixtureDemo() {}

    /** Draws n labelled points; the blob centres depend only on the config's seed (shared by train and test). */
    static Object[] sample(Config c, int n, long seed) {
        SplittableRandom centres = new SplittableRandom(c.seed() * 1_000_003L + 17);
        float[][] mu = new float[c.classes() * c.blobsPerClass()][c.dim()];
        for (float[] m : mu) for (int j = 0; j < c.dim(); j++) m[j] = (float) (4 * centres.nextDouble() - 2);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * c.dim()];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int blob = rng.nextInt(mu.length);
            y[i] = blob % c.classes();
            for (int j = 0; j < c.dim(); j++) {
                x[i * c.dim() + j] = mu[blob][j] + c.noise() * (float) gaussian(rng);
            }
        }
        return new Object[] {Tensor.of(x, n, c.dim()), y};
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller; 1 − u keeps the log argument in (0, 1]
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    public static Result run(Config c, PrintStream out) {
        Object[] train = sample(c, c.train(), c.seed() + 1), test = sample(c, c.test(), c.seed() + 2);
        Tensor x = (Tensor) train[0], xTest = (Tensor) test[0];
        int[] y = (int[]) train[1], yTest = (int[]) test[1];

        // 1. teacher: dim-H-H-K with dropout 10% / 50% and a max-norm of 3 on each hidden unit
        Sequential teacher = MLP.of(c.dim(), c.teacherHidden(), c.teacherHidden(), c.classes())
                .dropout(0.1, 0.5).seed(c.seed() + 10).build();
        SGD tOpt = new SGD(teacher.namedParameters(), 0.05).momentum(0.9);
        tOpt.constrain(MaxNorm.onHiddenLayers(teacher, 3.0));
        for (int e = 0; e < c.teacherEpochs(); e++) {
            for (int[] b : Batches.shuffled(c.train(), 100, c.seed() * 7919 + e)) {
                tOpt.zeroGrad();
                Losses.crossEntropy(teacher.forward(x.rows(b)), Batches.select(y, b)).backward();
                tOpt.step();
            }
        }
        double teacherAcc = Batches.accuracy(teacher.predict(xTest), yTest);

        // soft targets p = softmax(v / T) of the teacher (dropout off), computed once
        Tensor soft = SoftTargets.compute(Teacher.of(teacher), x, c.temperature(), 500);

        // 2. and 3. the two students start from the same weights and see the same batches
        Sequential baseline = student(c), distilled = student(c);
        SGD bOpt = new SGD(baseline.namedParameters(), 0.05).momentum(0.9);
        SGD dOpt = new SGD(distilled.namedParameters(), 0.05).momentum(0.9);
        DistillationLoss kd = new DistillationLoss(c.alpha(), c.temperature());
        for (int e = 0; e < c.studentEpochs(); e++) {
            for (int[] b : Batches.shuffled(c.train(), 100, c.seed() * 104729 + e)) {
                int[] yb = Batches.select(y, b);
                bOpt.zeroGrad();
                Losses.crossEntropy(baseline.forward(x.rows(b)), yb).backward();
                bOpt.step();
                // L = α·T²·CE(p, q) + (1 − α)·CE(y, softmax(z))
                dOpt.zeroGrad();
                kd.compute(distilled.forward(x.rows(b)), soft.rows(b), yb).backward();
                dOpt.step();
            }
        }
        Result r = new Result(teacherAcc, Batches.accuracy(baseline.predict(xTest), yTest),
                Batches.accuracy(distilled.predict(xTest), yTest));
        if (out != null) print(c, r, out);
        return r;
    }

    private static Sequential student(Config c) {
        return MLP.of(c.dim(), c.studentHidden(), c.studentHidden(), c.classes()).seed(c.seed() + 20).build();
    }

    static void print(Config c, Result r, PrintStream out) {
        out.printf("Gaussian mixture: %d classes × %d blobs in %d dimensions, %d training / %d test points, seed %d%n%n",
                c.classes(), c.blobsPerClass(), c.dim(), c.train(), c.test(), c.seed());
        out.println("| model | architecture | training | test accuracy |");
        out.println("|---|---|---|---|");
        out.printf("| teacher | %d-%d-%d-%d | hard labels, dropout, max-norm, %d epochs | %.2f%% |%n",
                c.dim(), c.teacherHidden(), c.teacherHidden(), c.classes(), c.teacherEpochs(), 100 * r.teacher());
        out.printf("| baseline student | %d-%d-%d-%d | hard labels, %d epochs | %.2f%% |%n",
                c.dim(), c.studentHidden(), c.studentHidden(), c.classes(), c.studentEpochs(), 100 * r.baseline());
        out.printf("| distilled student | %d-%d-%d-%d | %.2f·T²·soft (T = %s) + %.2f·hard, %d epochs | %.2f%% |%n",
                c.dim(), c.studentHidden(), c.studentHidden(), c.classes(), c.alpha(), fmt(c.temperature()),
                1 - c.alpha(), c.studentEpochs(), 100 * r.distilled());
    }

    private static String fmt(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : Float.toString(v);
    }
}
