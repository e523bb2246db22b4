package distill4j.engine.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.engine.Tensor;
import distill4j.engine.nn.Linear;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link Specialist}: label bookkeeping, collapsed targets, the biased training sample, the dustbin correction, initialisation. */
class SpecialistTest {
    static final long SEED = 5150L;
    /** Sums and means in double stored as float: a float rounding. */
    static final double F32_ATOL = 1e-7, F32_RTOL = 1e-6;
    /** Logits of two float32 forward passes that differ only in which output rows are computed. */
    static final double LOGIT_ATOL = 1e-5, LOGIT_RTOL = 1e-5;
    /** Probabilities recomputed in double from the same double logits. */
    static final double P64_ATOL = 1e-13, P64_RTOL = 1e-12;

    static void assertThrowsSaying(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        if (!e.getMessage().contains(fragment)) fail("message '" + e.getMessage() + "' does not say '" + fragment + "'");
    }

    @Test
    void localLabelsAndTheDustbin() {
        Specialist s = new Specialist(10, new int[] {7, 2, 5});
        assertEquals(10, s.totalClasses());
        assertArrayEquals(new int[] {2, 5, 7}, s.classes(), "sorted copy");
        assertEquals(4, s.size());
        assertEquals(3, s.dustbin());
        int[] expected = {3, 3, 0, 3, 3, 1, 3, 2, 3, 3};
        for (int j = 0; j < 10; j++) {
            assertEquals(expected[j], s.localLabel(j), "class " + j);
            assertEquals(expected[j] != 3, s.covers(j), "covers " + j);
        }
        assertArrayEquals(new int[] {2, 3, 0, 1, 3}, s.localLabels(new int[] {7, 9, 2, 5, 0}));
        int[] input = {9, 4};
        Specialist t = new Specialist(10, input);
        input[0] = 1;
        t.classes()[0] = 3;
        assertArrayEquals(new int[] {4, 9}, t.classes(), "neither the argument nor classes() aliases the state");
    }

    @Test
    void badClassSetsAndLabelsAreRejected() {
        assertThrowsSaying("empty", () -> new Specialist(10, new int[0]));
        assertThrowsSaying("empty", () -> new Specialist(10, null));
        assertThrowsSaying("class 4 appears twice", () -> new Specialist(10, new int[] {4, 1, 4}));
        assertThrowsSaying("class 10 not in 0..9", () -> new Specialist(10, new int[] {3, 10}));
        assertThrowsSaying("class -1 not in 0..9", () -> new Specialist(10, new int[] {-1, 3}));
        assertThrowsSaying("none for the dustbin", () -> new Specialist(3, new int[] {0, 1, 2}));
        assertThrowsSaying("at least 2 classes", () -> new Specialist(1, new int[] {0}));
        Specialist s = new Specialist(10, new int[] {2, 5});
        assertThrowsSaying("label 10 not in 0..9", () -> s.localLabel(10));
        assertThrowsSaying("label -3 not in 0..9", () -> s.localLabels(new int[] {1, -3}));
        assertThrowsSaying("label 11 not in 0..9", () -> s.covers(11));
        assertThrowsSaying("(N, 10)", () -> s.collapse(Tensor.zeros(4, 9)));
        assertThrowsSaying("(N, 10)", () -> s.collapse(Tensor.zeros(10)));
    }

    @Test
    void collapseKeepsTheClassesAndSumsTheRestIntoTheDustbin() {
        SplittableRandom r = new SplittableRandom(SEED);
        int n = 4, c = 6;
        float[] p = new float[n * c];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < c; j++) s += p[i * c + j] = (float) r.nextDouble();
            for (int j = 0; j < c; j++) p[i * c + j] /= (float) s;
        }
        Specialist sp = new Specialist(c, new int[] {4, 1});
        Tensor q = sp.collapse(Tensor.of(p, n, c));
        assertArrayEquals(new int[] {n, 3}, q.shape());
        for (int i = 0; i < n; i++) {
            assertEquals(p[i * c + 1], q.get(i, 0), "row " + i + " class 1");
            assertEquals(p[i * c + 4], q.get(i, 1), "row " + i + " class 4");
            double rest = (double) p[i * c] + p[i * c + 2] + p[i * c + 3] + p[i * c + 5];
            assertEquals(rest, q.get(i, 2), F32_ATOL + F32_RTOL * rest, "row " + i + " dustbin");
            double sum = (double) q.get(i, 0) + q.get(i, 1) + q.get(i, 2);
            assertEquals(1.0, sum, 1e-6, "row " + i + " sums to 1 (seed " + SEED + ")");
        }
    }

    @Test
    void priorMatchingCorrectionMakesTheMeanDustbinProbabilityTheShare() {
        SplittableRandom r = new SplittableRandom(SEED);
        Specialist sp = new Specialist(7, new int[] {2, 5, 6});
        int rows = 500, k = sp.size();
        float[] z = new float[rows * k];
        for (int i = 0; i < z.length; i++) z[i] = (float) (3 * r.nextGaussian());
        for (double share : new double[] {0.05, 0.5, 0.88}) {
            double d = sp.priorMatchingCorrection(z, rows, share);
            float[] c = z.clone();
            sp.correctDustbin(c, rows, d);
            // the mean dustbin probability of a float64 softmax of the corrected logits
            double mean = 0;
            for (int row = 0; row < rows; row++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int i = 0; i < k; i++) max = Math.max(max, c[row * k + i]);
                for (int i = 0; i < k; i++) sum += Math.exp(c[row * k + i] - max);
                mean += Math.exp(c[row * k + sp.dustbin()] - max) / sum;
            }
            // float rounding of the corrected logits: atol 1e-6
            assertEquals(share, mean / rows, 1e-6, "share " + share + ", δ " + d + " (seed " + SEED + ")");
        }
        // on logits already at the share the correction is ~0: a model calibrated to the prior is left alone
        float[] calibrated = z.clone();
        double d0 = sp.priorMatchingCorrection(z, rows, 0.3);
        sp.correctDustbin(calibrated, rows, d0);
        assertEquals(0, sp.priorMatchingCorrection(calibrated, rows, 0.3), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> sp.priorMatchingCorrection(z, rows, 1.0));
        assertThrows(IllegalArgumentException.class, () -> sp.priorMatchingCorrection(z, rows + 1, 0.5));
    }

    @Test
    void aDustbinOfAlmostAllTheMassStaysAProbability() {
        // a float row that sums to 1 + ulps outside S (as a float softmax can): the dustbin is capped at 1
        float big = Math.nextUp(0.5f);
        float[] p = {0f, big, big};
        Specialist sp = new Specialist(3, new int[] {0});
        Tensor q = sp.collapse(Tensor.of(p, 1, 3));
        assertEquals(1f, q.get(0, 1), "dustbin = min(1, Σ) (was " + ((double) big + big) + " before the cap)");
        assertEquals(0f, q.get(0, 0));
        // the cap is what lets a specialist fit the collapsed soft targets: the loss refuses targets above 1
        distill4j.engine.loss.Losses.softCrossEntropy(Tensor.of(new float[] {0f, 0f}, 1, 2), q, 1.0,
                distill4j.engine.loss.Reduction.BATCH_MEAN);
    }

    static int[] randomLabels(SplittableRandom r, int n, int c) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(c);
        return y;
    }

    @Test
    void trainingSampleHasEveryInClassExampleAndAsManyOthers() {
        SplittableRandom r = new SplittableRandom(SEED);
        int n = 500, c = 10;
        int[] labels = randomLabels(r, n, c);
        Specialist s = new Specialist(c, new int[] {2, 3});
        int in = 0;
        for (int y : labels) if (y == 2 || y == 3) in++;
        Specialist.Sample sample = s.trainingSample(labels, SEED);
        int[] idx = sample.indices();
        assertEquals(2 * in, idx.length, "in-class examples and as many others (seed " + SEED + ")");
        for (int t = 1; t < idx.length; t++) assertTrue(idx[t - 1] < idx[t], "ascending and distinct at " + t);
        int inSample = 0;
        for (int i : idx) {
            assertTrue(i >= 0 && i < n, "index " + i);
            if (s.covers(labels[i])) inSample++;
        }
        assertEquals(in, inSample, "every in-class example once");
        for (int i = 0; i < n; i++) if (s.covers(labels[i])) assertTrue(Arrays.binarySearch(idx, i) >= 0, "in-class example " + i + " present");
        assertEquals((double) in / n, sample.fullShare(), 0.0, "f");
        assertEquals(0.5, sample.sampleShare(), 0.0, "s");
        // seeded: the same seed gives the same sample, another seed another
        assertArrayEquals(idx, s.trainingSample(labels, SEED).indices(), "same seed");
        assertFalse(Arrays.equals(idx, s.trainingSample(labels, SEED + 1).indices()), "seeds " + SEED + " and " + (SEED + 1) + " drew the same others");
        // the labels are only read
        assertArrayEquals(randomLabels(new SplittableRandom(SEED), n, c), labels);
    }

    @Test
    void trainingSampleTakesAllOthersWhenThereAreFewer() {
        SplittableRandom r = new SplittableRandom(SEED + 2);
        int n = 300, c = 10;
        int[] labels = randomLabels(r, n, c);
        Specialist s = new Specialist(c, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        int in = 0;
        for (int y : labels) if (y < 8) in++;
        Specialist.Sample sample = s.trainingSample(labels, SEED);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        assertArrayEquals(all, sample.indices(), "everything (" + in + " in S, " + (n - in) + " others; seed " + SEED + ")");
        assertEquals((double) in / n, sample.fullShare(), 0.0);
        assertEquals((double) in / n, sample.sampleShare(), 0.0);
        assertThrowsSaying("none of the 4 labels is in [8]", () -> new Specialist(c, new int[] {8}).trainingSample(new int[] {1, 2, 3, 1}, SEED));
        assertThrowsSaying("label 10 not in 0..9", () -> s.trainingSample(new int[] {1, 10}, SEED));
    }

    @Test
    void dustbinCorrectionIsTheLogPriorRatio() {
        // f = 0.1, s = 1/2: S was oversampled 9 times relative to the dustbin
        assertEquals(Math.log(9), Specialist.dustbinCorrection(0.1, 0.5), 1e-15);
        assertEquals(Math.log(0.7 / 0.3 * (0.4 / 0.6)), Specialist.dustbinCorrection(0.3, 0.4), 1e-15);
        assertEquals(0.0, Specialist.dustbinCorrection(0.25, 0.25), 1e-15, "no bias, no correction");
        assertThrowsSaying("f = 0.0", () -> Specialist.dustbinCorrection(0.0, 0.5));
        assertThrowsSaying("f = 1.0", () -> Specialist.dustbinCorrection(1.0, 0.5));
        assertThrowsSaying("s = 1.0", () -> Specialist.dustbinCorrection(0.1, 1.0));
        assertThrowsSaying("s = NaN", () -> Specialist.dustbinCorrection(0.1, Double.NaN));
        Specialist s = new Specialist(5, new int[] {1, 3});
        float[] logits = {1, 2, 3, 4, 5, 6};
        s.correctDustbin(logits, 2, 0.5);
        assertArrayEquals(new float[] {1, 2, 3.5f, 4, 5, 6.5f}, logits);
        assertThrowsSaying("not (3, 3)", () -> s.correctDustbin(new float[6], 3, 0.5));
        assertThrowsSaying("not finite", () -> s.correctDustbin(new float[6], 2, Double.POSITIVE_INFINITY));
    }

    /**
     * A "model" that knows nothing about the input predicts the class frequencies of its training
     * sample. After the correction its distribution is the frequencies of the whole data set, collapsed.
     */
    @Test
    void correctedSampleFrequenciesAreTheFullDataFrequencies() {
        SplittableRandom r = new SplittableRandom(SEED + 3);
        int n = 1000, c = 8;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = r.nextInt(4) == 0 ? r.nextInt(3) : 3 + r.nextInt(5); // S rarer than the rest
        Specialist s = new Specialist(c, new int[] {0, 2});
        Specialist.Sample sample = s.trainingSample(labels, SEED);
        double[] sampleCount = new double[s.size()], fullCount = new double[s.size()];
        for (int i : sample.indices()) sampleCount[s.localLabel(labels[i])]++;
        for (int y : labels) fullCount[s.localLabel(y)]++;
        // logits = log of the sample frequencies, then the dustbin correction
        float[] logits = new float[s.size()];
        for (int l = 0; l < s.size(); l++) logits[l] = (float) Math.log(sampleCount[l] / sample.indices().length);
        s.correctDustbin(logits, 1, Specialist.dustbinCorrection(sample.fullShare(), sample.sampleShare()));
        float[] p = Tensor.of(logits, 1, s.size()).softmax(1).data();
        for (int l = 0; l < s.size(); l++) {
            double expected = fullCount[l] / n;
            assertEquals(expected, p[l], F32_ATOL + F32_RTOL * expected, "local class " + l + " (seed " + SEED + ")");
        }
    }

    /**
     * The Bayes-optimal classifier of 1-D Gaussian classes under the sample's priors, corrected, is the
     * Bayes-optimal classifier under the data's priors (collapsed to S + dustbin), at every x.
     */
    @Test
    void correctedSamplePosteriorIsTheFullDataPosterior() {
        int c = 5;
        double[] mean = {-2, -1, 0, 1, 2}, prior = {0.05, 0.05, 0.3, 0.3, 0.3};
        Specialist s = new Specialist(c, new int[] {0, 1});
        double f = prior[0] + prior[1], sShare = 0.5;
        // sample priors: S scaled up to 1/2, the dustbin classes scaled down to 1/2, proportions kept inside each
        double[] samplePrior = new double[c];
        for (int j = 0; j < c; j++) samplePrior[j] = s.covers(j) ? prior[j] * sShare / f : prior[j] * (1 - sShare) / (1 - f);
        double correction = Specialist.dustbinCorrection(f, sShare);
        for (double x = -4; x <= 4; x += 0.5) {
            // the sample-trained specialist: logits log p(x|y) + log π_sample(y), the dustbin one log Σ_{j ∉ S} of them
            double[] z = new double[s.size()], full = new double[s.size()];
            double dust = 0, fullDust = 0;
            for (int j = 0; j < c; j++) {
                double like = Math.exp(-0.5 * (x - mean[j]) * (x - mean[j]));
                if (s.covers(j)) {
                    z[s.localLabel(j)] = Math.log(like * samplePrior[j]);
                    full[s.localLabel(j)] = like * prior[j];
                } else {
                    dust += like * samplePrior[j];
                    fullDust += like * prior[j];
                }
            }
            z[s.dustbin()] = Math.log(dust) + correction;
            full[s.dustbin()] = fullDust;
            double zs = 0, fs = 0;
            for (int l = 0; l < z.length; l++) {
                zs += Math.exp(z[l]);
                fs += full[l];
            }
            for (int l = 0; l < z.length; l++) {
                double expected = full[l] / fs, actual = Math.exp(z[l]) / zs;
                assertEquals(expected, actual, P64_ATOL + P64_RTOL * expected, "x = " + x + ", local class " + l);
            }
        }
    }

    @Test
    void initFromCopiesHiddenLayersAndClassRowsAndAveragesTheDustbin() {
        int in = 5, c = 9;
        Sequential generalist = MLP.of(in, 8, 7, c).seed(SEED).build();
        Specialist s = new Specialist(c, new int[] {6, 1, 4});
        Sequential specialist = MLP.of(in, 8, 7, s.size()).seed(SEED + 1).build();
        s.initFrom(generalist, specialist);
        List<Linear> g = generalist.linears(), sp = specialist.linears();
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(g.get(i).weight.data(), sp.get(i).weight.data(), "hidden layer " + i + " weights");
            assertArrayEquals(g.get(i).bias.data(), sp.get(i).bias.data(), "hidden layer " + i + " bias");
        }
        float[] wg = g.get(2).weight.data(), bg = g.get(2).bias.data(), ws = sp.get(2).weight.data(), bs = sp.get(2).bias.data();
        int h = 7;
        int[] cls = s.classes();
        for (int i = 0; i < cls.length; i++) {
            assertArrayEquals(Arrays.copyOfRange(wg, cls[i] * h, cls[i] * h + h), Arrays.copyOfRange(ws, i * h, i * h + h), "row of class " + cls[i]);
            assertEquals(bg[cls[i]], bs[i], "bias of class " + cls[i]);
        }
        int[] others = {0, 2, 3, 5, 7, 8};
        for (int t = 0; t < h; t++) {
            double mean = 0;
            for (int j : others) mean += wg[j * h + t];
            mean /= others.length;
            assertEquals(mean, ws[s.dustbin() * h + t], F32_ATOL + F32_RTOL * Math.abs(mean), "dustbin weight " + t);
        }
        double meanBias = 0;
        for (int j : others) meanBias += bg[j];
        double expectedBias = meanBias / others.length + Math.log(others.length);
        assertEquals(expectedBias, bs[s.dustbin()], F32_ATOL + F32_RTOL * Math.abs(expectedBias), "dustbin bias = mean + log 6");
        // so on any input: class logits are the generalist's, the dustbin logit is the mean of the others' + log |D|
        Tensor x = Tensor.of(new float[] {0.3f, -1.2f, 0.5f, 2f, -0.7f, 1f, 1f, -1f, 0f, 0.25f}, 2, in);
        Tensor zg = generalist.predict(x), zs = specialist.predict(x);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < cls.length; i++) {
                double e = zg.get(b, cls[i]);
                assertEquals(e, zs.get(b, i), LOGIT_ATOL + LOGIT_RTOL * Math.abs(e), "row " + b + " class " + cls[i]);
            }
            double e = Math.log(others.length);
            for (int j : others) e += zg.get(b, j) / (double) others.length;
            assertEquals(e, zs.get(b, s.dustbin()), LOGIT_ATOL + LOGIT_RTOL * Math.abs(e), "row " + b + " dustbin logit");
        }
    }

    @Test
    void initFromRejectsMismatchedModels() {
        Specialist s = new Specialist(9, new int[] {1, 4, 6});
        Sequential generalist = MLP.of(5, 8, 7, 9).seed(1).build();
        assertThrowsSaying("hidden layer 1 differs", () -> s.initFrom(generalist, MLP.of(5, 8, 6, 4).build()));
        assertThrowsSaying("hidden layer 0 differs", () -> s.initFrom(generalist, MLP.of(4, 8, 7, 4).build()));
        assertThrowsSaying("expected Linear(7 -> 4)", () -> s.initFrom(generalist, MLP.of(5, 8, 7, 5).build()));
        assertThrowsSaying("3 Linear layers, the specialist 2", () -> s.initFrom(generalist, MLP.of(5, 8, 4).build()));
        assertThrowsSaying("not the 9 classes", () -> s.initFrom(MLP.of(5, 8, 7, 10).build(), MLP.of(5, 8, 7, 4).build()));
        Sequential noBias = new Sequential(new Linear(5, 4, false, distill4j.engine.nn.Init.lecunUniform(), null, new SplittableRandom(1)));
        assertThrowsSaying("differ in having a bias", () -> s.initFrom(MLP.of(5, 9).build(), noBias));
        // nothing was written by a rejected call
        Sequential before = MLP.of(5, 8, 7, 4).seed(2).build();
        float[] w0 = before.linears().get(0).weight.data().clone();
        assertThrows(IllegalArgumentException.class, () -> s.initFrom(MLP.of(5, 8, 7, 10).build(), before));
        assertArrayEquals(w0, before.linears().get(0).weight.data());
        assertNotEquals(0, w0.length);
    }
}
