package distill4j.engine;

import static distill4j.engine.GradCheck.awayFromZero;
import static distill4j.engine.GradCheck.check;
import static distill4j.engine.GradCheck.uniform;

import distill4j.engine.AllBackends.BackendTest;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every op's forward value and gradient against a float64 reference of its math (central finite
 * differences), on several shapes including 1 and odd sizes, on every backend.
 */
class OpsGradientTest {
    private static final long SEED = 20150309L;

    /** (m, k, n) triples: ones, odd sizes, tails of any vector width. */
    private static final int[][] MATMUL_SHAPES = {{1, 1, 1}, {3, 4, 5}, {7, 13, 5}, {2, 17, 9}, {11, 3, 19}};

    @BackendTest
    void matmul() {
        for (int[] s : MATMUL_SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            long seed = SEED + 31L * m + 7L * k + n;
            SplittableRandom rng = new SplittableRandom(seed);
            check("matmul " + m + "x" + k + " · " + k + "x" + n, seed,
                    xs -> xs[0].matmul(xs[1]),
                    in -> Ref64.matmul(in[0], in[1], m, k, n),
                    new double[][] {uniform(rng, m * k, -1, 1), uniform(rng, k * n, -1, 1)},
                    new int[][] {{m, k}, {k, n}});
        }
    }

    @BackendTest
    void matmulOfATensorWithItself() {
        SplittableRandom rng = new SplittableRandom(SEED);
        check("x · x", SEED, xs -> xs[0].matmul(xs[0]),
                in -> Ref64.matmul(in[0], in[0], 5, 5, 5),
                new double[][] {uniform(rng, 25, -1, 1)}, new int[][] {{5, 5}});
    }

    @BackendTest
    void linearWithAndWithoutBias() {
        int[][] shapes = {{1, 1, 1}, {5, 7, 3}, {9, 17, 11}, {4, 33, 2}};
        for (int[] s : shapes) {
            int b = s[0], in = s[1], out = s[2];
            long seed = SEED + 100L * b + 10L * in + out;
            SplittableRandom rng = new SplittableRandom(seed);
            check("linear " + b + "x" + in + " -> " + out, seed,
                    xs -> Ops.linear(xs[0], xs[1], xs[2]),
                    x -> Ref64.linear(x[0], x[1], x[2], b, in, out),
                    new double[][] {uniform(rng, b * in, -1, 1), uniform(rng, out * in, -1, 1), uniform(rng, out, -1, 1)},
                    new int[][] {{b, in}, {out, in}, {out}});
            check("linear without bias " + b + "x" + in + " -> " + out, seed,
                    xs -> Ops.linear(xs[0], xs[1], null),
                    x -> Ref64.linear(x[0], x[1], null, b, in, out),
                    new double[][] {uniform(rng, b * in, -1, 1), uniform(rng, out * in, -1, 1)},
                    new int[][] {{b, in}, {out, in}});
        }
    }

    @BackendTest
    void addSubMulSameShape() {
        for (int[] shape : new int[][] {{1}, {7}, {3, 5}, {2, 3, 4}}) {
            int n = Shapes.numel(shape);
            long seed = SEED + n;
            SplittableRandom rng = new SplittableRandom(seed);
            double[][] in = {uniform(rng, n, -2, 2), uniform(rng, n, -2, 2)};
            check("add " + Shapes.str(shape), seed, xs -> xs[0].add(xs[1]), x -> zip(x[0], x[1], 0, '+'), in.clone(), new int[][] {shape, shape});
            check("sub " + Shapes.str(shape), seed, xs -> xs[0].sub(xs[1]), x -> zip(x[0], x[1], 0, '-'), in.clone(), new int[][] {shape, shape});
            check("mul " + Shapes.str(shape), seed, xs -> xs[0].mul(xs[1]), x -> zip(x[0], x[1], 0, '*'), in.clone(), new int[][] {shape, shape});
        }
    }

    @BackendTest
    void addSubMulWithRowBroadcast() {
        for (int[] rc : new int[][] {{1, 1}, {4, 3}, {5, 17}}) {
            int r = rc[0], c = rc[1];
            long seed = SEED + 13L * r + c;
            SplittableRandom rng = new SplittableRandom(seed);
            double[] m = uniform(rng, r * c, -2, 2), v = uniform(rng, c, -2, 2);
            int[] ms = {r, c}, vs = {c};
            check("add matrix + row " + r + "x" + c, seed, xs -> xs[0].add(xs[1]), x -> zip(x[0], x[1], c, '+'),
                    new double[][] {m.clone(), v.clone()}, new int[][] {ms, vs});
            check("sub matrix − row " + r + "x" + c, seed, xs -> xs[0].sub(xs[1]), x -> zip(x[0], x[1], c, '-'),
                    new double[][] {m.clone(), v.clone()}, new int[][] {ms, vs});
            check("sub row − matrix " + r + "x" + c, seed, xs -> xs[1].sub(xs[0]), x -> neg(zip(x[0], x[1], c, '-')),
                    new double[][] {m.clone(), v.clone()}, new int[][] {ms, vs});
            check("mul matrix ⊙ row " + r + "x" + c, seed, xs -> xs[0].mul(xs[1]), x -> zip(x[0], x[1], c, '*'),
                    new double[][] {m.clone(), v.clone()}, new int[][] {ms, vs});
            check("mul row ⊙ matrix " + r + "x" + c, seed, xs -> xs[1].mul(xs[0]), x -> zip(x[0], x[1], c, '*'),
                    new double[][] {m.clone(), v.clone()}, new int[][] {ms, vs});
            check("add row + matrix " + r + "x" + c, seed, xs -> xs[1].add(xs[0]), x -> zip(x[0], x[1], c, '+'),
                    new double[][] {m.clone(), v.clone()}, new int[][] {ms, vs});
        }
    }

    /** a (n) op b (n), or b a row vector of length cols broadcast over a when cols > 0. */
    private static double[] zip(double[] a, double[] b, int cols, char op) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double bv = cols > 0 ? b[i % cols] : b[i];
            y[i] = op == '+' ? a[i] + bv : op == '-' ? a[i] - bv : a[i] * bv;
        }
        return y;
    }

    private static double[] neg(double[] a) {
        double[] y = a.clone();
        for (int i = 0; i < y.length; i++) y[i] = -y[i];
        return y;
    }

    private static double[] map(double[] a, java.util.function.DoubleUnaryOperator f) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) y[i] = f.applyAsDouble(a[i]);
        return y;
    }

    @BackendTest
    void elementwiseUnary() {
        for (int n : new int[] {1, 6, 37}) {
            long seed = SEED + n;
            SplittableRandom rng = new SplittableRandom(seed);
            int[][] shape = {{n}};
            check("scale n=" + n, seed, xs -> xs[0].mul(-2.5f), x -> map(x[0], v -> -2.5 * v),
                    new double[][] {uniform(rng, n, -2, 2)}, shape);
            check("addScalar n=" + n, seed, xs -> xs[0].add(0.75f), x -> map(x[0], v -> v + 0.75),
                    new double[][] {uniform(rng, n, -2, 2)}, shape);
            check("neg n=" + n, seed, xs -> xs[0].neg(), x -> map(x[0], v -> -v),
                    new double[][] {uniform(rng, n, -2, 2)}, shape);
            check("relu n=" + n, seed, xs -> xs[0].relu(), x -> map(x[0], v -> Math.max(v, 0)),
                    new double[][] {awayFromZero(rng, n, 0.01, 2)}, shape);
            check("exp n=" + n, seed, xs -> xs[0].exp(), x -> map(x[0], Math::exp),
                    new double[][] {uniform(rng, n, -3, 3)}, shape);
            // log near 0 has huge curvature: inputs in [0.2, 3]
            check("log n=" + n, seed, xs -> xs[0].log(), x -> map(x[0], Math::log),
                    new double[][] {uniform(rng, n, 0.2, 3)}, shape);
        }
    }

    @BackendTest
    void softmaxAndLogSoftmaxAtSeveralTemperatures() {
        for (int[] rc : new int[][] {{1, 1}, {1, 5}, {4, 10}, {3, 17}}) {
            for (float t : new float[] {0.5f, 1f, 4f, 20f}) {
                int r = rc[0], c = rc[1];
                long seed = SEED + 1000L * r + 10L * c + (long) (t * 10);
                SplittableRandom rng = new SplittableRandom(seed);
                check("softmax " + r + "x" + c + " T=" + t, seed, xs -> xs[0].softmax(t),
                        x -> Ref64.softmax(x[0], r, c, t), new double[][] {uniform(rng, r * c, -3, 3)}, new int[][] {rc});
                check("logSoftmax " + r + "x" + c + " T=" + t, seed, xs -> xs[0].logSoftmax(t),
                        x -> Ref64.logSoftmax(x[0], r, c, t), new double[][] {uniform(rng, r * c, -3, 3)}, new int[][] {rc});
            }
        }
    }

    @BackendTest
    void reductions() {
        for (int[] rc : new int[][] {{1, 1}, {3, 4}, {5, 19}}) {
            int r = rc[0], c = rc[1];
            long seed = SEED + 7L * r + c;
            SplittableRandom rng = new SplittableRandom(seed);
            check("sum " + r + "x" + c, seed, xs -> xs[0].sum(), x -> new double[] {java.util.Arrays.stream(x[0]).sum()},
                    new double[][] {uniform(rng, r * c, -1, 1)}, new int[][] {rc});
            check("mean " + r + "x" + c, seed, xs -> xs[0].mean(),
                    x -> new double[] {java.util.Arrays.stream(x[0]).sum() / (r * c)},
                    new double[][] {uniform(rng, r * c, -1, 1)}, new int[][] {rc});
            check("sumRows " + r + "x" + c, seed, xs -> xs[0].sumRows(), x -> {
                double[] y = new double[r];
                for (int i = 0; i < r * c; i++) y[i / c] += x[0][i];
                return y;
            }, new double[][] {uniform(rng, r * c, -1, 1)}, new int[][] {rc});
        }
    }

    @BackendTest
    void dropoutWithPhiloxMask() {
        for (float p : new float[] {0f, 0.2f, 0.5f, 0.9f}) {
            for (int n : new int[] {1, 7, 130}) {
                long seed = SEED + n + (long) (p * 100);
                long step = 3;
                SplittableRandom rng = new SplittableRandom(seed);
                check("dropout p=" + p + " n=" + n, seed, xs -> Ops.dropout(xs[0], p, seed, step),
                        x -> Ref64.dropout(x[0], p, seed, step), new double[][] {uniform(rng, n, -1, 1)}, new int[][] {{n}});
            }
        }
    }

    @BackendTest
    void shapeOps() {
        SplittableRandom rng = new SplittableRandom(SEED);
        check("transpose 3x5", SEED, xs -> xs[0].t(), x -> {
            double[] y = new double[15];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) y[j * 3 + i] = x[0][i * 5 + j];
            return y;
        }, new double[][] {uniform(rng, 15, -1, 1)}, new int[][] {{3, 5}});
        // reshape is a view: the product with a fixed vector after it checks the gradient flows back
        check("reshape 2x6 -> 3x4, · W", SEED, xs -> xs[0].reshape(3, -1).matmul(xs[1]),
                x -> Ref64.matmul(x[0], x[1], 3, 4, 2),
                new double[][] {uniform(rng, 12, -1, 1), uniform(rng, 8, -1, 1)}, new int[][] {{2, 6}, {4, 2}});
        check("slice rows [1, 4) of 5x3", SEED, xs -> xs[0].slice(1, 4),
                x -> java.util.Arrays.copyOfRange(x[0], 3, 12), new double[][] {uniform(rng, 15, -1, 1)}, new int[][] {{5, 3}});
        int[] idx = {2, 0, 2, 4};
        check("rows [2, 0, 2, 4] of 5x3 (repeated row)", SEED, xs -> xs[0].rows(idx), x -> {
            double[] y = new double[12];
            for (int i = 0; i < 4; i++) System.arraycopy(x[0], idx[i] * 3, y, i * 3, 3);
            return y;
        }, new double[][] {uniform(rng, 15, -1, 1)}, new int[][] {{5, 3}});
        check("cat (2x3, 1x3, 3x3)", SEED, xs -> Tensor.cat(List.of(xs[0], xs[1], xs[2])), x -> {
            double[] y = new double[18];
            System.arraycopy(x[0], 0, y, 0, 6);
            System.arraycopy(x[1], 0, y, 6, 3);
            System.arraycopy(x[2], 0, y, 9, 9);
            return y;
        }, new double[][] {uniform(rng, 6, -1, 1), uniform(rng, 3, -1, 1), uniform(rng, 9, -1, 1)},
                new int[][] {{2, 3}, {1, 3}, {3, 3}});
    }

    @BackendTest
    void cosineSimilarity() {
        for (int[] rc : new int[][] {{1, 1}, {1, 2}, {4, 7}, {3, 33}}) {
            int r = rc[0], c = rc[1];
            long seed = SEED + 3L * r + c;
            SplittableRandom rng = new SplittableRandom(seed);
            check("cosine " + r + "x" + c, seed, xs -> Ops.cosineSimilarityRows(xs[0], xs[1], 1e-8f),
                    x -> Ref64.cosineRows(x[0], x[1], r, c, 1e-8),
                    new double[][] {awayFromZero(rng, r * c, 0.1, 1), awayFromZero(rng, r * c, 0.1, 1)},
                    new int[][] {rc, rc});
        }
    }

    /** A two-layer network with a reused input, composed from the ops: checks the graph plumbing. */
    @BackendTest
    void composedNetworkWithReusedInput() {
        int b = 3, in = 5, hid = 6, out = 4;
        SplittableRandom rng = new SplittableRandom(SEED);
        check("logSoftmax(relu(x W1ᵀ + b1) W2ᵀ + b2) + x·S", SEED,
                xs -> Ops.linear(Ops.linear(xs[0], xs[1], xs[2]).relu(), xs[3], xs[4]).logSoftmax(2f).add(xs[0].matmul(xs[5])),
                x -> {
                    double[] h = Ref64.linear(x[0], x[1], x[2], b, in, hid);
                    for (int i = 0; i < h.length; i++) h[i] = Math.max(h[i], 0);
                    double[] y = Ref64.logSoftmax(Ref64.linear(h, x[3], x[4], b, hid, out), b, out, 2);
                    double[] s = Ref64.matmul(x[0], x[5], b, in, out);
                    for (int i = 0; i < y.length; i++) y[i] += s[i];
                    return y;
                },
                new double[][] {uniform(rng, b * in, -1, 1), uniform(rng, hid * in, -1, 1), uniform(rng, hid, 0.05, 0.5),
                        uniform(rng, out * hid, -1, 1), uniform(rng, out, -1, 1), uniform(rng, in * out, -1, 1)},
                new int[][] {{b, in}, {hid, in}, {hid}, {out, hid}, {out}, {in, out}});
    }
}
