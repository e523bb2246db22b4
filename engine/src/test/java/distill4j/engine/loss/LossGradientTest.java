package distill4j.engine.loss;

import static distill4j.engine.GradCheck.check;
import static distill4j.engine.GradCheck.tensor;
import static distill4j.engine.GradCheck.uniform;

import distill4j.engine.AllBackends.BackendTest;
import distill4j.engine.Ref64;
import java.util.SplittableRandom;

/** Every loss, both reductions: value and gradient against float64 references of the formulas. */
class LossGradientTest {
    private static final long SEED = 1503_02531L;
    /** (batch, classes): one example, odd sizes, a tail past any vector width. */
    private static final int[][] SHAPES = {{1, 2}, {1, 10}, {4, 3}, {5, 17}, {8, 10}};
    private static final float[] TEMPERATURES = {1f, 2f, 5f, 20f};

    private static double factor(Reduction r, int batch) {
        return r == Reduction.SUM ? 1.0 : 1.0 / batch;
    }

    private static int[] labels(SplittableRandom rng, int rows, int cols) {
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) y[i] = rng.nextInt(cols);
        return y;
    }

    @BackendTest
    void crossEntropyWithHardLabels() {
        for (Reduction red : Reduction.values()) {
            for (int[] s : SHAPES) {
                int b = s[0], c = s[1];
                long seed = SEED + 100L * b + c;
                SplittableRandom rng = new SplittableRandom(seed);
                int[] y = labels(rng, b, c);
                check("crossEntropy " + red + " " + b + "x" + c, seed,
                        xs -> Losses.crossEntropy(xs[0], y, red),
                        in -> new double[] {factor(red, b) * Ref64.crossEntropySum(in[0], y, b, c, 1)},
                        new double[][] {uniform(rng, b * c, -4, 4)}, new int[][] {s});
            }
        }
    }

    @BackendTest
    void softCrossEntropyAndKlAtTemperature() {
        for (Reduction red : Reduction.values()) {
            for (int[] s : SHAPES) {
                for (float t : TEMPERATURES) {
                    int b = s[0], c = s[1];
                    long seed = SEED + 1000L * b + 10L * c + (long) t;
                    SplittableRandom rng = new SplittableRandom(seed);
                    double[] p = Ref64.probabilities(rng, b, c, 3);
                    check("softCrossEntropy " + red + " " + b + "x" + c + " T=" + t, seed,
                            xs -> Losses.softCrossEntropy(xs[0], tensor(p, s), t, red),
                            in -> new double[] {factor(red, b) * Ref64.softCrossEntropySum(in[0], p, b, c, t)},
                            new double[][] {uniform(rng, b * c, -4, 4)}, new int[][] {s});
                    check("klDivergence " + red + " " + b + "x" + c + " T=" + t, seed,
                            xs -> Losses.klDivergence(xs[0], tensor(p, s), t, red),
                            in -> new double[] {factor(red, b) * Ref64.klSum(in[0], p, b, c, t)},
                            new double[][] {uniform(rng, b * c, -4, 4)}, new int[][] {s});
                }
            }
        }
    }

    @BackendTest
    void logitMatching() {
        for (Reduction red : Reduction.values()) {
            for (int[] s : SHAPES) {
                int b = s[0], c = s[1];
                long seed = SEED + 7L * b + c;
                SplittableRandom rng = new SplittableRandom(seed);
                check("logitMatching " + red + " " + b + "x" + c, seed,
                        xs -> Losses.logitMatching(xs[0], xs[1], red),
                        in -> {
                            double sum = 0;
                            for (int i = 0; i < b * c; i++) sum += 0.5 * (in[0][i] - in[1][i]) * (in[0][i] - in[1][i]);
                            return new double[] {factor(red, b) * sum};
                        },
                        new double[][] {uniform(rng, b * c, -4, 4), uniform(rng, b * c, -4, 4)}, new int[][] {s, s});
            }
        }
    }

    @BackendTest
    void cosineEmbedding() {
        for (Reduction red : Reduction.values()) {
            for (int[] s : SHAPES) {
                int b = s[0], c = s[1];
                long seed = SEED + 11L * b + c;
                SplittableRandom rng = new SplittableRandom(seed);
                check("cosineEmbedding " + red + " " + b + "x" + c, seed,
                        xs -> Losses.cosineEmbedding(xs[0], xs[1], red),
                        in -> {
                            double sum = 0;
                            for (double cos : Ref64.cosineRows(in[0], in[1], b, c, 1e-8)) sum += 1 - cos;
                            return new double[] {factor(red, b) * sum};
                        },
                        new double[][] {uniform(rng, b * c, -1, 1), uniform(rng, b * c, -1, 1)}, new int[][] {s, s});
            }
        }
    }

    @BackendTest
    void distillationLoss() {
        float[] alphas = {0f, 0.3f, 0.9f, 1f};
        for (Reduction red : Reduction.values()) {
            for (int[] s : SHAPES) {
                for (float t : TEMPERATURES) {
                    for (float alpha : alphas) {
                        int b = s[0], c = s[1];
                        long seed = SEED + 10_000L * b + 100L * c + 10L * (long) t + (long) (alpha * 10);
                        SplittableRandom rng = new SplittableRandom(seed);
                        double[] v = uniform(rng, b * c, -5, 5);
                        double[] p = Ref64.softmax(v, b, c, t);
                        int[] y = labels(rng, b, c);
                        DistillationLoss loss = new DistillationLoss(alpha, t, red);
                        // L = α·T²·CE(p, softmax(z/T)) + (1−α)·CE(y, softmax(z))
                        check("distillation " + red + " " + b + "x" + c + " T=" + t + " alpha=" + alpha, seed,
                                xs -> loss.computeFromTeacherLogits(xs[0], tensor(v, s), y),
                                in -> new double[] {factor(red, b) * (alpha * t * t * Ref64.softCrossEntropySum(in[0], p, b, c, t)
                                        + (1 - alpha) * Ref64.crossEntropySum(in[0], y, b, c, 1))},
                                new double[][] {uniform(rng, b * c, -4, 4)}, new int[][] {s});
                    }
                }
            }
        }
    }
}
