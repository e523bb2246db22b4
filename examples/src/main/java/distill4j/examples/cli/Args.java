package distill4j.examples.cli;

import java.util.Deque;

/** The values of command-line options, taken off the front of the remaining arguments, with errors that name the option. */
public final class Args {
    private Args() {}

    /** The next argument, the value of {@code opt}. */
    public static String value(Deque<String> a, String opt) {
        if (a.isEmpty()) throw new IllegalArgumentException(opt + " needs a value");
        return a.pop();
    }

    /** The next argument as a whole number. */
    public static long longValue(Deque<String> a, String opt) {
        String v = value(a, opt);
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a whole number, got '" + v + "'");
        }
    }

    /** The next argument as a number. */
    public static float floatValue(Deque<String> a, String opt) {
        String v = value(a, opt);
        try {
            return Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a number, got '" + v + "'");
        }
    }
}
