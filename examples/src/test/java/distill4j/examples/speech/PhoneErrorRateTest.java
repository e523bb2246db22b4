package distill4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The frame-to-phone decode and the phone error rate on hand-made utterances. */
class PhoneErrorRateTest {
    static int id(String state) { return PhoneStates.id(state); }

    /** One-hot scores (frames, 124) of the given class per frame. */
    static float[] oneHot(int[] classes) {
        float[] s = new float[classes.length * PhoneStates.count()];
        for (int f = 0; f < classes.length; f++) s[f * PhoneStates.count() + classes[f]] = 1f;
        return s;
    }

    @Test
    void decodeMergesStatesDropsShortRunsAndSilence() {
        int pau = id("pau_141"), aa1 = id("aa_1"), aa2 = id("aa_2"), b = id("b_36"), k = id("k_101");
        // pau pau | aa aa aa aa (two states of one phone: one run) | b (1 frame: dropped) | aa aa aa (merges) | k k k | pau
        int[] frames = {pau, pau, aa1, aa1, aa2, aa2, b, aa2, aa2, aa2, k, k, k, pau};
        assertEquals(List.of("aa", "k"), PhoneErrorRate.phones(frames, 0, frames.length, PhoneErrorRate.MIN_RUN));
        // the reference keeps every run: aa b aa k
        assertEquals(List.of("aa", "b", "aa", "k"), PhoneErrorRate.phones(frames, 0, frames.length, 1));
    }

    @Test
    void levenshteinByHand() {
        assertEquals(0, PhoneErrorRate.levenshtein(List.of("a", "b"), List.of("a", "b")));
        assertEquals(1, PhoneErrorRate.levenshtein(List.of("a", "c"), List.of("a", "b")));
        assertEquals(2, PhoneErrorRate.levenshtein(List.of(), List.of("a", "b")));
        assertEquals(3, PhoneErrorRate.levenshtein(List.of("x", "a", "b", "y", "z"), List.of("a", "b", "c")));
    }

    @Test
    void rateOverUtterances() {
        int aa = id("aa_1"), b = id("b_36"), k = id("k_101");
        // utterance 1: reference aa b (3 + 3 frames), hypothesis aa aa: 1 substitution... decoded "aa" only (one run): 1 deletion
        // utterance 2: reference k (3 frames), hypothesis k: 0
        int[] labels = {aa, aa, aa, b, b, b, k, k, k};
        int[] hyp = {aa, aa, aa, aa, aa, aa, k, k, k};
        PhoneErrorRate.Result r = PhoneErrorRate.of(oneHot(hyp), PhoneStates.count(), labels, new int[] {0, 6, 9});
        assertEquals(1, r.edits());
        assertEquals(3, r.reference());
        assertEquals(1.0 / 3, r.rate(), 1e-15);
        // a perfect frame classifier has PER 0 when no reference run is shorter than MIN_RUN
        assertEquals(0, PhoneErrorRate.of(oneHot(labels), PhoneStates.count(), labels, new int[] {0, 6, 9}).edits());
        assertThrows(IllegalArgumentException.class, () -> PhoneErrorRate.of(oneHot(hyp), PhoneStates.count(), labels, new int[] {0, 6}));
    }
}
