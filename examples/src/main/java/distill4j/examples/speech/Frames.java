package distill4j.examples.speech;

import distill4j.examples.data.Examples;
import distill4j.examples.data.Jitter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Some frames of a split as training examples for the train package: example k is frame
 * {@code frames[k]} of the {@link SpeechFeatures.FrameSet}, its input the 26-frame context window
 * (1,040 floats, gathered when a batch is made), its label the HMM state of that (the 21st) frame.
 */
public final class Frames implements Examples {
    private final String name;
    private final SpeechFeatures.FrameSet set;
    private final int[] frames;
    private String fingerprint;

    public Frames(String name, SpeechFeatures.FrameSet set, int[] frames) {
        for (int f : frames) {
            if (f < 0 || f >= set.frames()) throw new IndexOutOfBoundsException(name + ": frame " + f + " outside 0.." + (set.frames() - 1));
        }
        this.name = name;
        this.set = set;
        this.frames = frames.clone();
    }

    /** Every frame of a split. */
    public static Frames all(SpeechFeatures.FrameSet set) {
        int[] f = new int[set.frames()];
        for (int i = 0; i < f.length; i++) f[i] = i;
        return new Frames(set.split.label, set, f);
    }

    public SpeechFeatures.FrameSet set() { return set; }
    /** Frame index in the split of example k. */
    public int frame(int k) { return frames[k]; }

    @Override public String name() { return name; }
    @Override public int count() { return frames.length; }
    @Override public int features() { return SpeechFeatures.INPUT_SIZE; }

    @Override
    public int[] labels() {
        int[] y = new int[frames.length];
        for (int k = 0; k < y.length; k++) y[k] = set.labels[frames[k]];
        return y;
    }

    // examples order[from..to) -> x (to - from, 1040), y (to - from); no jitter for speech
    @Override
    public void batch(int[] order, int from, int to, float[] x, int[] y, Jitter jitter, long epoch) {
        for (int k = 0; k < to - from; k++) {
            int f = frames[order == null ? from + k : order[from + k]];
            set.context(f, x, k * SpeechFeatures.INPUT_SIZE);
            if (y != null) y[k] = set.labels[f];
        }
    }

    /** SHA-256 of the split's normalised features, labels and utterance bounds, and of the frames chosen. */
    @Override
    public synchronized String fingerprint() {
        if (fingerprint != null) return fingerprint;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(set.split.label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(4 * set.feats.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(set.feats);
            md.update(b.array());
            md.update(ints(set.labels));
            md.update(ints(set.uttStart));
            md.update(ints(frames));
            fingerprint = HexFormat.of().formatHex(md.digest());
            return fingerprint;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ints(int[] a) {
        ByteBuffer b = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(a);
        return b.array();
    }

    @Override
    public String toString() { return name + " (" + frames.length + " frames of " + set.split.label + ")"; }
}
