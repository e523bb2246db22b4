package distill4j.examples.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar for one epoch: {@code teacher  3/40 [######------]  312/600  0:41<0:38  loss 0.1234}.
 * On a terminal it redraws one line in place (carriage return), at most ~10 times a second; otherwise
 * (a log file, CI) it prints plain lines: one at each quarter of the epoch and the final one.
 */
public final class Progress {
    private static final int WIDTH = 28;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private String label = "";
    private long total;
    private long startNanos;
    private long lastDraw;
    private int lastQuarter;
    private int lastLength;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether stdout is an interactive terminal (JDK 22+ asks the console; 17–21: a console exists). */
    public static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // before JDK 22 System.console() is null unless both streams are a terminal
        }
    }

    public boolean terminal() { return terminal; }

    /** Starts a bar of {@code total} units. */
    public void start(String label, long total) {
        this.label = label;
        this.total = Math.max(total, 1);
        this.startNanos = System.nanoTime();
        this.lastDraw = 0;
        this.lastQuarter = 0;
        this.lastLength = 0;
    }

    /** {@code done} of total units finished; {@code metrics} is appended (e.g. "loss 0.123"). */
    public void update(long done, String metrics) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw < REDRAW_NANOS && done < total) return;
            lastDraw = now;
            draw(line(done, now, metrics), false);
        } else {
            int quarter = (int) (4 * done / total);
            if (quarter > lastQuarter && done < total) {
                lastQuarter = quarter;
                out.println(line(done, now, metrics));
            }
        }
    }

    /** Ends the bar with a final line (kept on screen). */
    public void finish(String metrics) {
        long now = System.nanoTime();
        String s = label + "  " + bar(total) + "  " + fmtTime(now - startNanos) + "  " + metrics;
        if (terminal) draw(s, true);
        else out.println(s);
    }

    /** Prints a message on its own line without breaking the bar. */
    public void message(String s) {
        if (terminal && lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
        out.println(s);
    }

    private String line(long done, long now, String metrics) {
        long elapsed = now - startNanos;
        String eta = done > 0 ? fmtTime(elapsed * (total - done) / done) : "?";
        int digits = Long.toString(total).length();
        return String.format(Locale.ROOT, "%s  %s  %" + digits + "d/%d  %s<%s  %s", label, bar(done), done, total,
                fmtTime(elapsed), eta, metrics);
    }

    private String bar(long done) {
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
    }

    private void draw(String s, boolean end) {
        int pad = Math.max(0, lastLength - s.length());
        out.print("\r" + s + " ".repeat(pad));
        if (end) {
            out.println();
            lastLength = 0;
        } else {
            lastLength = s.length();
        }
        out.flush();
    }

    /** h:mm:ss or m:ss. */
    public static String fmtTime(long nanos) {
        long s = Math.max(0, nanos / 1_000_000_000L);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
