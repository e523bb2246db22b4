package distill4j.examples.speech;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The frame classes: the HMM states of flite's US English clustergen voices (awb, rms, slt in flite 2.2,
 * whose {@code phone_states} tables are identical). 41 phones (40 + {@code pau}) with 3 states each, plus
 * the one-state short silence {@code ssil} (flite names its state {@code pau_161}): 124 classes. The class
 * id is the position in {@link #NAMES}; silence is included ({@code pau_141..143}, {@code pau_161}).
 *
 * <p>The paper's targets were 14,000 context-dependent HMM states; these are context-independent, 3 per
 * phone, so the task is far smaller (see examples/speech/README.md).
 */
public final class PhoneStates {
    private PhoneStates() {}

    /** The 41 phones, in the order of flite's tables, and their first state number. */
    private static final String[] PHONES = {
        "aa", "ae", "ah", "ao", "aw", "ax", "ay", "b", "ch", "d", "dh", "eh", "er", "ey", "f", "g", "hh",
        "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "pau", "r", "s", "sh", "t", "th", "uh",
        "uw", "v", "w", "y", "z", "zh"};

    /** Every class name in id order ({@code aa_1, aa_2, aa_3, ae_6, ...}, as flite names them). */
    public static final List<String> NAMES;
    private static final Map<String, Integer> IDS = new HashMap<>();

    static {
        List<String> names = new ArrayList<>();
        // flite numbers states phone by phone, 5 apart, with a jump after ssil's single state (161 -> 164)
        int first = 1;
        for (String phone : PHONES) {
            for (int s = 0; s < 3; s++) names.add(phone + "_" + (first + s));
            first += 5;
            if (phone.equals("sh")) first = 164; // ssil (pau_161) sits between sh and t
        }
        names.add("pau_161"); // ssil: short silence, one state
        NAMES = Collections.unmodifiableList(names);
        for (int i = 0; i < names.size(); i++) IDS.put(names.get(i), i);
    }

    /** Number of classes (124). */
    public static int count() { return NAMES.size(); }

    /** Class id of a flite state name; throws naming the state when it is not in the inventory. */
    public static int id(String stateName) {
        Integer id = IDS.get(stateName);
        if (id == null) throw new IllegalArgumentException("unknown HMM state '" + stateName + "' (not one of the "
                + NAMES.size() + " states of flite's awb/rms/slt voices)");
        return id;
    }

    /** Whether a class is silence ({@code pau} states and {@code ssil}). */
    public static boolean isSilence(int id) { return NAMES.get(id).startsWith("pau_"); }

    /** The phone a class belongs to ({@code "aa"} for {@code aa_2}, {@code "pau"} for ssil's state). */
    public static String phone(int id) {
        String n = NAMES.get(id);
        return n.substring(0, n.lastIndexOf('_'));
    }
}
