package distill4j.examples.speech;

import java.util.ArrayList;
import java.util.List;

/**
 * Phone error rate after a simple frame-to-phone decode, in place of the paper's word error rate (which
 * needs a recogniser and a language model). Per utterance:
 * <ol>
 *   <li>each frame's class is the argmax of its scores, mapped to its phone ({@link PhoneStates#phone});</li>
 *   <li>runs of the same phone shorter than {@code minRun} frames are dropped (a crude duration model:
 *       a phone has 3 HMM states of at least one 10 ms frame each), then adjacent equal runs merge;</li>
 *   <li>silence ({@code pau}) is removed from both sequences;</li>
 *   <li>the Levenshtein distance to the reference phone sequence (the labels' phones, runs merged).</li>
 * </ol>
 * PER = Σ distances / Σ reference lengths over the utterances.
 */
public final class PhoneErrorRate {
    /** Runs shorter than this many frames are dropped before merging (the decode's only smoothing). */
    public static final int MIN_RUN = 3;

    private PhoneErrorRate() {}

    /** Edits and reference phones summed over utterances; PER = edits / reference. */
    public record Result(long edits, long reference) {
        public double rate() { return reference == 0 ? 0 : (double) edits / reference; }
    }

    /**
     * scores (frames, classes) of every frame of a split in order, labels (frames), utterance starts
     * (utterances + 1, the last = frames).
     */
    public static Result of(float[] scores, int classes, int[] labels, int[] uttStart) {
        if (uttStart.length < 1 || uttStart[uttStart.length - 1] != labels.length || scores.length != labels.length * classes) {
            throw new IllegalArgumentException("phone error rate: " + scores.length + " scores, " + labels.length + " labels, "
                    + classes + " classes and utterance bounds ending at " + (uttStart.length == 0 ? "nothing" : uttStart[uttStart.length - 1])
                    + " do not agree");
        }
        long edits = 0, ref = 0;
        int[] hyp = new int[labels.length];
        for (int f = 0; f < labels.length; f++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (scores[f * classes + c] > scores[f * classes + best]) best = c;
            hyp[f] = best;
        }
        for (int u = 0; u + 1 < uttStart.length; u++) {
            List<String> r = phones(labels, uttStart[u], uttStart[u + 1], 1);
            List<String> h = phones(hyp, uttStart[u], uttStart[u + 1], MIN_RUN);
            edits += levenshtein(h, r);
            ref += r.size();
        }
        return new Result(edits, ref);
    }

    /** Phones of frames [from, to): runs shorter than minRun dropped, equal neighbours merged, silence removed. */
    static List<String> phones(int[] classOfFrame, int from, int to, int minRun) {
        List<String> runs = new ArrayList<>();
        int f = from;
        while (f < to) {
            String p = PhoneStates.phone(classOfFrame[f]);
            int g = f + 1;
            while (g < to && PhoneStates.phone(classOfFrame[g]).equals(p)) g++;
            // drop short runs; merge with the previous run when the same phone resumes after a dropped one
            if (g - f >= minRun && (runs.isEmpty() || !runs.get(runs.size() - 1).equals(p))) runs.add(p);
            f = g;
        }
        runs.removeIf(p -> p.equals("pau"));
        // removing silence can make equal phones adjacent: they are one phone only if no silence separated them,
        // which the reference keeps as two; both sequences are treated alike, so leave them as they are
        return runs;
    }

    static int levenshtein(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1], cur = new int[b.size() + 1];
        for (int j = 0; j <= b.size(); j++) prev[j] = j;
        for (int i = 1; i <= a.size(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.size(); j++) {
                int sub = prev[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.size()];
    }
}
