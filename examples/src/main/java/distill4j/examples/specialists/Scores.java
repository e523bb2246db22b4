package distill4j.examples.specialists;

import distill4j.engine.distill.Specialist;
import distill4j.examples.train.Eval;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The paper's Tables 3 and 4 on one split: frames right by the generalist alone (argmax p^g) and by
 * the generalist + specialists (argmax q of eq. 5), over all frames, over the frames whose true class
 * is covered by at least one active specialist ("conditional"), and by the number of active
 * specialists covering the true class.
 */
record Scores(int frames, int generalistRight, int combinedRight, double activePerFrame, Map<Integer, Count> byCoverage) {
    /** Frames with a given coverage: how many, and how many right before and after. */
    record Count(int frames, int before, int after) {
        Count plus(boolean b, boolean a) { return new Count(frames + 1, before + (b ? 1 : 0), after + (a ? 1 : 0)); }
    }

    /** labels (n), generalist p^g and combined q (n, classes), the active specialists of each frame. */
    static Scores of(int[] labels, float[] pg, float[] q, int classes, int[][] active, List<Specialist> specs) {
        int n = labels.length, gRight = 0, cRight = 0;
        long activeTotal = 0;
        Map<Integer, Count> by = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            boolean b = Eval.argmax(pg, i * classes, classes) == labels[i];
            boolean a = Eval.argmax(q, i * classes, classes) == labels[i];
            if (b) gRight++;
            if (a) cRight++;
            int covering = 0;
            for (int m : active[i]) if (specs.get(m).covers(labels[i])) covering++;
            activeTotal += active[i].length;
            by.merge(covering, new Count(1, b ? 1 : 0, a ? 1 : 0), (x, y) -> x.plus(b, a));
        }
        return new Scores(n, gRight, cRight, n == 0 ? 0 : (double) activeTotal / n, by);
    }

    /** Frames whose true class is covered by at least one active specialist. */
    Count conditional() {
        Count c = new Count(0, 0, 0);
        for (var e : byCoverage.entrySet()) {
            if (e.getKey() > 0) c = new Count(c.frames() + e.getValue().frames(), c.before() + e.getValue().before(), c.after() + e.getValue().after());
        }
        return c;
    }

    /**
     * How one specialist behaves on dev frames (labels used for the diagnosis only): its mean dustbin
     * probability after the prior correction next to the share of frames outside its classes (equal when
     * the correction is right on average), and its accuracy on the frames of its own classes (argmax over
     * its classes and dustbin) next to the generalist's on the same task (the generalist collapsed to the
     * specialist's classes + dustbin).
     */
    static Map<String, Object> specialistOnDev(Specialist sp, float[] pm, float[] pg, int[] labels) {
        int n = labels.length, k = sp.size(), c = sp.totalClasses();
        float[] pgLocal = sp.collapse(distill4j.engine.Tensor.of(pg, n, c)).data();
        double dustbinMean = 0;
        int outside = 0, inside = 0, specRight = 0, genRight = 0;
        for (int i = 0; i < n; i++) {
            dustbinMean += pm[i * k + sp.dustbin()];
            int y = sp.localLabel(labels[i]);
            if (y == sp.dustbin()) { outside++; continue; }
            inside++;
            if (Eval.argmax(pm, i * k, k) == y) specRight++;
            if (Eval.argmax(pgLocal, i * k, k) == y) genRight++;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dev_dustbin_probability_mean", dustbinMean / n);
        m.put("dev_dustbin_share", (double) outside / n);
        m.put("dev_own_classes_frames", inside);
        m.put("dev_own_classes_accuracy_specialist", inside == 0 ? 0.0 : (double) specRight / inside);
        m.put("dev_own_classes_accuracy_generalist", inside == 0 ? 0.0 : (double) genRight / inside);
        return m;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", frames);
        m.put("generalist_accuracy", (double) generalistRight / frames);
        m.put("combined_accuracy", (double) combinedRight / frames);
        Count c = conditional();
        m.put("conditional_frames", c.frames());
        m.put("conditional_generalist_accuracy", c.frames() == 0 ? 0.0 : (double) c.before() / c.frames());
        m.put("conditional_combined_accuracy", c.frames() == 0 ? 0.0 : (double) c.after() / c.frames());
        m.put("active_per_frame", activePerFrame);
        Map<String, Object> by = new LinkedHashMap<>();
        for (var e : byCoverage.entrySet()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("frames", e.getValue().frames());
            r.put("generalist_right", e.getValue().before());
            r.put("combined_right", e.getValue().after());
            by.put(Integer.toString(e.getKey()), r);
        }
        m.put("by_coverage", by);
        return m;
    }
}
