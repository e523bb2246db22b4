package distill4j.examples.speech;

/**
 * Puts a {@code sox pitch} output back on flite's time axis. sox's pitch effect (WSOLA tempo change,
 * then resampling) keeps the length to a sample or two but moves the signal in time: measured on flite
 * speech, 6 to 10 ms later for downward shifts and 4 to 11 ms earlier for upward ones, depending on the
 * utterance. That is up to a whole 10 ms frame against the HMM-state labels, so each shifted utterance
 * is realigned: the lag that best correlates the 1 ms log-energy envelopes (10 ms windows) of the
 * shifted and the unshifted signal, searched over +-{@value #MAX_LAG_MS} ms, is undone, the ends
 * padded with zeros. The residual is below the 1 ms search step plus the envelope's own blur.
 */
public final class PitchAlign {
    private PitchAlign() {}

    public static final int STEP = 16;        // 1 ms at 16 kHz
    public static final int WINDOW = 160;     // 10 ms
    public static final int MAX_LAG_MS = 40;

    /** A realigned signal and the lag removed (samples; positive = sox had delayed it). */
    public record Aligned(short[] samples, int lagSamples) {}

    // reference (n), shifted (n) -> shifted moved by the best lag, length n
    public static Aligned align(short[] reference, short[] shifted) {
        double[] a = envelope(reference), b = envelope(shifted);
        int best = 0;
        double bestCorr = Double.NEGATIVE_INFINITY;
        for (int lag = -MAX_LAG_MS; lag <= MAX_LAG_MS; lag++) {
            double c = correlation(a, b, lag);
            if (c > bestCorr) { bestCorr = c; best = lag; }
        }
        int lagSamples = best * STEP;
        short[] out = new short[shifted.length];
        for (int i = 0; i < out.length; i++) {
            int j = i + lagSamples;
            out[i] = j >= 0 && j < shifted.length ? shifted[j] : 0;
        }
        return new Aligned(out, lagSamples);
    }

    /** log(1 + energy) of 10 ms windows every 1 ms. */
    static double[] envelope(short[] x) {
        int n = Math.max(0, (x.length - WINDOW) / STEP);
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < WINDOW; t++) { double v = x[i * STEP + t]; s += v * v; }
            e[i] = Math.log1p(s);
        }
        return e;
    }

    // Pearson correlation of a[i] and b[i + lag], over the points where every lag has both
    static double correlation(double[] a, double[] b, int lag) {
        int lo = MAX_LAG_MS, hi = Math.min(a.length, b.length) - MAX_LAG_MS;
        if (hi - lo < 2) return lag == 0 ? 1 : 0; // too short to tell: keep sox's timing
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = hi - lo;
        for (int i = lo; i < hi; i++) {
            double u = a[i], v = b[i + lag];
            sa += u; sb += v; saa += u * u; sbb += v * v; sab += u * v;
        }
        double cov = sab / n - (sa / n) * (sb / n);
        double den = Math.sqrt(Math.max(0, saa / n - (sa / n) * (sa / n)) * Math.max(0, sbb / n - (sb / n) * (sb / n)));
        return den == 0 ? (lag == 0 ? 1 : 0) : cov / den;
    }
}
