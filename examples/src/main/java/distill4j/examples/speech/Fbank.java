package distill4j.examples.speech;

/**
 * Log-Mel filterbank features, the paper's input (§4: 40 Mel-scaled filterbank coefficients every 10 ms).
 *
 * <p>For each frame: 25 ms window (400 samples at 16 kHz) every 10 ms (160 samples); frame {@code i}
 * covers samples {@code [160 i, 160 i + 400)} and there are {@code 1 + (n - 400) / 160} frames for
 * {@code n >= 400} samples (none otherwise: no padding, so a frame's label is the state at its centre,
 * sample {@code 160 i + 200}). Then, in order:
 * <ol>
 *   <li>samples scaled to [-1, 1) (divided by 32768), the frame's mean removed (DC offset);</li>
 *   <li>pre-emphasis {@code y[t] = x[t] - 0.97 x[t-1]} inside the frame ({@code y[0] = x[0] - 0.97 x[0]});</li>
 *   <li>Hamming window {@code 0.54 - 0.46 cos(2 pi t / (400 - 1))};</li>
 *   <li>512-point FFT (zero-padded), power spectrum {@code |X_k|^2} for {@code k = 0..256};</li>
 *   <li>40 triangular filters equally spaced on the HTK Mel scale {@code mel(f) = 2595 log10(1 + f / 700)}
 *       from 20 Hz to 8000 Hz; filter {@code m} rises from edge {@code m} to its peak at edge {@code m+1}
 *       and falls to edge {@code m+2}, evaluated at each bin's frequency {@code k * 16000 / 512}
 *       (weights in Mel units, unnormalised, as HTK and Kaldi do);</li>
 *   <li>natural log with a floor: {@code log(max(e, 1e-10))}.</li>
 * </ol>
 * Computed in double, returned as float. {@code tools/speech/make_fbank_golden.py} computes the same
 * definition with numpy's FFT, independently of this code, for the golden test.
 */
public final class Fbank {
    public static final int SAMPLE_RATE = 16000;
    public static final int WINDOW = 400;       // 25 ms
    public static final int HOP = 160;          // 10 ms
    public static final int FFT_SIZE = 512;
    public static final int NUM_MELS = 40;
    public static final double LOW_HZ = 20, HIGH_HZ = 8000;
    public static final double PREEMPHASIS = 0.97;
    public static final double LOG_FLOOR = 1e-10;

    private final double[] window = new double[WINDOW];
    /** filters[m][k]: weight of FFT bin k in Mel filter m. */
    private final double[][] filters = new double[NUM_MELS][FFT_SIZE / 2 + 1];
    private final Fft fft = new Fft(FFT_SIZE);

    public Fbank() {
        for (int t = 0; t < WINDOW; t++) window[t] = 0.54 - 0.46 * Math.cos(2 * Math.PI * t / (WINDOW - 1));
        double lo = mel(LOW_HZ), hi = mel(HIGH_HZ);
        double[] edges = new double[NUM_MELS + 2];
        for (int i = 0; i < edges.length; i++) edges[i] = lo + (hi - lo) * i / (NUM_MELS + 1);
        for (int m = 0; m < NUM_MELS; m++) {
            for (int k = 0; k <= FFT_SIZE / 2; k++) {
                double f = mel((double) k * SAMPLE_RATE / FFT_SIZE);
                double w = 0;
                if (f > edges[m] && f <= edges[m + 1]) w = (f - edges[m]) / (edges[m + 1] - edges[m]);
                else if (f > edges[m + 1] && f < edges[m + 2]) w = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
                filters[m][k] = w;
            }
        }
    }

    public static double mel(double hz) { return 2595 * Math.log10(1 + hz / 700); }

    /** Frames in {@code n} samples. */
    public static int numFrames(int n) { return n < WINDOW ? 0 : 1 + (n - WINDOW) / HOP; }

    // samples (n) -> features (numFrames(n), NUM_MELS), row-major
    public float[] compute(short[] samples) {
        int frames = numFrames(samples.length);
        float[] out = new float[frames * NUM_MELS];
        double[] re = new double[FFT_SIZE], im = new double[FFT_SIZE], power = new double[FFT_SIZE / 2 + 1];
        for (int i = 0; i < frames; i++) {
            int start = i * HOP;
            double mean = 0;
            for (int t = 0; t < WINDOW; t++) mean += samples[start + t] / 32768.0;
            mean /= WINDOW;
            // pre-emphasis runs backwards so each step still sees the previous raw sample
            for (int t = WINDOW - 1; t >= 0; t--) {
                double x = samples[start + t] / 32768.0 - mean;
                double prev = (t == 0 ? samples[start] : samples[start + t - 1]) / 32768.0 - mean;
                re[t] = (x - PREEMPHASIS * prev) * window[t];
            }
            java.util.Arrays.fill(re, WINDOW, FFT_SIZE, 0);
            java.util.Arrays.fill(im, 0);
            fft.transform(re, im);
            for (int k = 0; k <= FFT_SIZE / 2; k++) power[k] = re[k] * re[k] + im[k] * im[k];
            for (int m = 0; m < NUM_MELS; m++) {
                double e = 0;
                double[] w = filters[m];
                for (int k = 0; k <= FFT_SIZE / 2; k++) e += w[k] * power[k];
                out[i * NUM_MELS + m] = (float) Math.log(Math.max(e, LOG_FLOOR));
            }
        }
        return out;
    }
}
