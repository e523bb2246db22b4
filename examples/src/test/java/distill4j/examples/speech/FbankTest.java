package distill4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fbank against numpy (tools/speech/make_fbank_golden.py), and the FFT against a direct DFT. */
class FbankTest {
    /**
     * Log-Mel values: both sides compute in float64; the Java output is rounded to float32 (relative
     * 6e-8), and log values are O(1..25), so 1e-4 absolute leaves room only for float rounding.
     */
    static final double FBANK_ATOL = 1e-4, FBANK_RTOL = 1e-5;
    /** FFT of size 512 in float64 against an O(n^2) DFT: rounding grows like log n; 1e-9 is ample. */
    static final double FFT_ATOL = 1e-9;

    @TempDir Path tmp;

    @Test
    void matchesNumpyGolden() throws Exception {
        Path wav = tmp.resolve("golden.wav");
        try (InputStream in = getClass().getResourceAsStream("fbank_golden_signal.wav")) {
            Files.copy(in, wav);
        }
        Wav.Audio audio = Wav.read(wav);
        assertEquals(16000, audio.sampleRate());
        List<double[]> golden = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("fbank_golden.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                String[] f = line.trim().split(" ");
                double[] row = new double[f.length];
                for (int i = 0; i < f.length; i++) row[i] = Double.parseDouble(f[i]);
                golden.add(row);
            }
        }
        float[] feats = new Fbank().compute(audio.samples());
        assertEquals(golden.size(), Fbank.numFrames(audio.samples().length), "frame count");
        assertEquals(golden.size() * Fbank.NUM_MELS, feats.length);
        double worst = 0;
        for (int i = 0; i < golden.size(); i++) {
            for (int m = 0; m < Fbank.NUM_MELS; m++) {
                double ref = golden.get(i)[m], got = feats[i * Fbank.NUM_MELS + m];
                double err = Math.abs(got - ref);
                worst = Math.max(worst, err);
                assertTrue(err <= FBANK_ATOL + FBANK_RTOL * Math.abs(ref),
                        "frame " + i + " mel " + m + ": java " + got + " numpy " + ref);
            }
        }
        // the silent start hits the floor exactly: log(1e-10)
        assertEquals(Math.log(1e-10), feats[0], 1e-5);
        System.out.println("fbank vs numpy: " + golden.size() + " frames, worst |diff| " + worst);
    }

    @Test
    void fftMatchesDirectDft() {
        long seed = 19;
        Random rng = new Random(seed);
        for (int n : new int[] {1, 2, 8, 512}) {
            double[] re = new double[n], im = new double[n];
            for (int i = 0; i < n; i++) { re[i] = rng.nextGaussian(); im[i] = rng.nextGaussian(); }
            double[] r2 = re.clone(), i2 = im.clone();
            new Fft(n).transform(r2, i2);
            for (int k = 0; k < n; k++) {
                double sr = 0, si = 0;
                for (int t = 0; t < n; t++) {
                    double a = -2 * Math.PI * ((long) k * t % n) / n;
                    sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
                    si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
                }
                assertEquals(sr, r2[k], FFT_ATOL, "seed " + seed + " n " + n + " re[" + k + "]");
                assertEquals(si, i2[k], FFT_ATOL, "seed " + seed + " n " + n + " im[" + k + "]");
            }
        }
    }

    @Test
    void frameCountFollowsWindowAndHop() {
        assertEquals(0, Fbank.numFrames(399));
        assertEquals(1, Fbank.numFrames(400));
        assertEquals(1, Fbank.numFrames(559));
        assertEquals(2, Fbank.numFrames(560));
        assertEquals(98, Fbank.numFrames(16000)); // 1 s -> 98 full 25 ms windows
    }
}
