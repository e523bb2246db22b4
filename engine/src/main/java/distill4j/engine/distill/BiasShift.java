package distill4j.engine.distill;

import java.util.Arrays;

/**
 * Finds the bias shift of §3's "missing class" experiments automatically. A student that never saw a
 * class in its transfer set learns a bias for it that is too low (paper: raise the bias of 3 by 3.5;
 * with only 7s and 8s, lower the biases of 7 and 8 by 7.6). We choose the shift δ added to the logits
 * of a set S of classes so that, on held-out data, the fraction of examples predicted in S equals the
 * prior of S (its frequency among the held-out labels).
 *
 * <p>Exact, no search: example i is predicted in S iff max_{j∈S} z_ij + δ &gt; max_{j∉S} z_ij, i.e.
 * iff δ &gt; t_i with t_i = max_{j∉S} z_ij − max_{j∈S} z_ij. The number predicted in S is the number of
 * t_i below δ, so for a target count k we take δ halfway between the k-th and (k+1)-th smallest t_i.
 */
public final class BiasShift {
    private BiasShift() {}

    /**
     * logits (rows, cols), classes S ⊂ [0, cols), target count k in [0, rows] → δ such that exactly k
     * rows have their argmax in S after adding δ to the logits of S (ties aside).
     */
    public static double shiftForCount(float[] logits, int rows, int cols, int[] classes, int k) {
        if (rows <= 0 || logits.length < rows * cols) {
            throw new IllegalArgumentException("bias shift: logits of length " + logits.length + " for (" + rows + ", " + cols + ")");
        }
        if (k < 0 || k > rows) throw new IllegalArgumentException("bias shift: target count " + k + " not in 0.." + rows);
        boolean[] inS = new boolean[cols];
        for (int c : classes) {
            if (c < 0 || c >= cols) throw new IllegalArgumentException("bias shift: class " + c + " not in 0.." + (cols - 1));
            inS[c] = true;
        }
        double[] t = new double[rows];
        for (int i = 0; i < rows; i++) {
            double in = Double.NEGATIVE_INFINITY, out = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                double z = logits[i * cols + j];
                if (inS[j]) in = Math.max(in, z); else out = Math.max(out, z);
            }
            t[i] = out - in;
        }
        Arrays.sort(t);
        // δ between t[k-1] and t[k]: t[0..k-1] < δ (predicted in S), t[k..] ≥ δ
        if (k == 0) return t[0] - 1.0;
        if (k == rows) return t[rows - 1] + 1.0;
        return 0.5 * (t[k - 1] + t[k]);
    }

    /**
     * The shift making the predicted frequency of S on held-out data equal the frequency of S among
     * its labels.
     */
    public static double matchPrior(float[] logits, int[] labels, int cols, int[] classes) {
        int k = 0;
        for (int y : labels) for (int c : classes) if (y == c) k++;
        return shiftForCount(logits, labels.length, cols, classes, k);
    }

    /** Adds δ to the logits of the classes in S, in place. */
    public static void apply(float[] logits, int rows, int cols, int[] classes, double delta) {
        for (int i = 0; i < rows; i++) for (int c : classes) logits[i * cols + c] += (float) delta;
    }
}
