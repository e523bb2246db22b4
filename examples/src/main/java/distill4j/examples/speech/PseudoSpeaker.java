package distill4j.examples.speech;

import java.util.List;

/**
 * A pseudo-speaker: one of flite's voices with its durations stretched (inside flite, so the state
 * timings stay exact), its pitch shifted by {@code sox pitch} (length-preserving) and white Gaussian
 * noise added at a signal-to-noise ratio (over the whole utterance; {@code +Infinity} = clean).
 *
 * @param id      e.g. {@code slt-s3}
 * @param role    which split it speaks in: {@link Role#TRAIN} speakers speak train and dev sentences;
 *                {@link Role#HELD_OUT} speakers of the training voices and every speaker of the held-out
 *                voice speak only test sentences
 */
public record PseudoSpeaker(String id, String voice, double stretch, int cents, double snrDb, Role role) {

    public enum Role { TRAIN, HELD_OUT, HELD_OUT_VOICE }

    /** The voices the acoustic models are trained on. */
    public static final List<String> TRAIN_VOICES = List.of("awb", "slt");
    /** The voice only the test set hears. */
    public static final String HELD_OUT_VOICE = "rms";

    /** Per voice: 5 training variants (s0..s4) and 2 held out (s5, s6). */
    private static final double[][] VARIANTS = {
        // stretch, cents, snr dB
        {1.00, 0, Double.POSITIVE_INFINITY},
        {0.85, 200, 30},
        {1.15, -200, 20},
        {0.92, 100, 15},
        {1.08, -100, Double.POSITIVE_INFINITY},
        {0.96, 150, 25},   // held out: an unseen combination inside the training range
        {1.12, -250, 12},  // held out: slightly beyond it in pitch and noise
    };
    private static final int HELD_OUT_FROM = 5;

    /** All pseudo-speakers, in a fixed order: awb s0..s6, slt s0..s6, rms s0..s6. */
    public static final List<PseudoSpeaker> ALL = all();

    private static List<PseudoSpeaker> all() {
        List<PseudoSpeaker> out = new java.util.ArrayList<>();
        for (String voice : List.of("awb", "slt", HELD_OUT_VOICE)) {
            for (int k = 0; k < VARIANTS.length; k++) {
                double[] v = VARIANTS[k];
                Role role = voice.equals(HELD_OUT_VOICE) ? Role.HELD_OUT_VOICE : k >= HELD_OUT_FROM ? Role.HELD_OUT : Role.TRAIN;
                out.add(new PseudoSpeaker(voice + "-s" + k, voice, v[0], (int) v[1], v[2], role));
            }
        }
        return List.copyOf(out);
    }

    public static List<PseudoSpeaker> withRole(Role role) {
        return ALL.stream().filter(s -> s.role == role).toList();
    }

    public static PseudoSpeaker byId(String id) {
        for (PseudoSpeaker s : ALL) if (s.id.equals(id)) return s;
        throw new IllegalArgumentException("unknown pseudo-speaker " + id);
    }

    /** Index in {@link #ALL}. */
    public int index() { return ALL.indexOf(this); }

    public String describe() {
        return String.format("%s: stretch %.2f, pitch %+d cents, %s", id, stretch, cents,
                Double.isInfinite(snrDb) ? "clean" : String.format("noise at %.0f dB SNR", snrDb));
    }
}
