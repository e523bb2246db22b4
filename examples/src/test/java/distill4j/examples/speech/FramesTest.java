package distill4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Frames} (speech frames as training examples) and the ensemble's probability mean, without flite. */
class FramesTest {
    static final long SEED = 3;

    static SpeechFeatures.FrameSet set() {
        int frames = 50;
        float[] feats = new float[frames * Fbank.NUM_MELS];
        java.util.SplittableRandom r = new java.util.SplittableRandom(SEED);
        for (int i = 0; i < feats.length; i++) feats[i] = (float) r.nextGaussian();
        int[] labels = new int[frames];
        for (int i = 0; i < frames; i++) labels[i] = (i * 7) % PhoneStates.count();
        return new SpeechFeatures.FrameSet(SpeechCorpus.Split.TRAIN, feats, labels, new int[] {0, 30, 50}, new int[] {0, 1});
    }

    @Test
    void batchesAreContextWindowsAndLabelsOfTheChosenFrames() {
        SpeechFeatures.FrameSet s = set();
        Frames f = new Frames("sub", s, new int[] {3, 29, 30, 49});
        assertEquals(4, f.count());
        assertEquals(SpeechFeatures.INPUT_SIZE, f.features());
        assertArrayEquals(new int[] {s.labels[3], s.labels[29], s.labels[30], s.labels[49]}, f.labels());
        float[] x = new float[2 * SpeechFeatures.INPUT_SIZE];
        int[] y = new int[2];
        f.batch(new int[] {2, 0, 1, 3}, 1, 3, x, y, null, 0); // examples 0 and 1: frames 3 and 29
        float[] want = s.batch(new int[] {3, 29});
        assertArrayEquals(want, x);
        assertArrayEquals(new int[] {s.labels[3], s.labels[29]}, y);
        // the 21st frame of the window is the frame itself; a window never crosses into the next utterance
        float[] w = s.batch(new int[] {29});
        for (int c = SpeechFeatures.PAST; c < SpeechFeatures.CONTEXT; c++) {
            for (int m = 0; m < Fbank.NUM_MELS; m++) assertEquals(s.feats[29 * Fbank.NUM_MELS + m], w[c * Fbank.NUM_MELS + m]);
        }
    }

    @Test
    void fingerprintDependsOnTheFramesAndRangesAreChecked() {
        SpeechFeatures.FrameSet s = set();
        assertEquals(new Frames("a", s, new int[] {1, 2}).fingerprint(), new Frames("b", s, new int[] {1, 2}).fingerprint());
        assertNotEquals(new Frames("a", s, new int[] {1, 2}).fingerprint(), new Frames("a", s, new int[] {1, 3}).fingerprint());
        assertEquals(50, Frames.all(s).count());
        assertThrows(IndexOutOfBoundsException.class, () -> new Frames("bad", s, new int[] {50}));
    }

    @Test
    void ensembleProbabilitiesAreTheMeanOfMemberSoftmaxes() {
        int classes = 3, rows = 10_000; // more rows than one chunk
        float[] a = new float[rows * classes], b = new float[rows * classes];
        java.util.SplittableRandom r = new java.util.SplittableRandom(SEED);
        for (int i = 0; i < a.length; i++) { a[i] = (float) r.nextGaussian() * 3; b[i] = (float) r.nextGaussian() * 3; }
        float t = 2f;
        float[] p = SpeechExperiments.ensembleProbabilities(List.of(a, b), classes, t);
        for (int row : new int[] {0, 8191, 8192, rows - 1}) {
            double za = 0, zb = 0;
            for (int c = 0; c < classes; c++) { za += Math.exp(a[row * classes + c] / t); zb += Math.exp(b[row * classes + c] / t); }
            for (int c = 0; c < classes; c++) {
                double want = 0.5 * (Math.exp(a[row * classes + c] / t) / za + Math.exp(b[row * classes + c] / t) / zb);
                assertEquals(want, p[row * classes + c], 1e-6 + 1e-5 * want, "row " + row + " class " + c + " seed " + SEED);
            }
        }
    }
}
