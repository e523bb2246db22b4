package distill4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.io.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus built for real with flite: the --quick corpus through the command, a tiny one for the
 * bad-input cases. Needs the Debian packages of {@link SpeechTools#PACKAGES}: when they are missing
 * the test installs them with apt-get if it runs as root (as CI does on a fresh machine), and
 * otherwise skips, saying which are missing and the command to install them.
 */
class SpeechCorpusTest {
    static final long SEED = 11;
    /** A few seconds of audio per split: enough utterances to exercise every path, built in ~1 s. */
    static final SpeechCorpus.Budget TINY = new SpeechCorpus.Budget("tiny", 1500, 300, 300, 300);

    @TempDir static Path shared;
    @TempDir Path tmp;
    static PrintStream quiet;

    @BeforeAll
    static void installOrSkip() throws IOException {
        quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<String> missing = SpeechTools.missingAfterInstallIfAllowed(System.out);
        Assumptions.assumeTrue(missing.isEmpty(), "speech corpus tests skipped: missing " + missing
                + " and not root to install them; install with: sudo " + SpeechTools.APT_COMMAND);
    }

    @Test
    void quickCorpusThroughTheCommand() throws IOException {
        Path dir = shared.resolve("quick");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int rc = SpeechCommand.run(new String[] {"--quick", "--seed", Long.toString(SEED), "--corpus", dir.toString()},
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - t0) / 1e9;
        String out = buf.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        System.out.printf("quick corpus + features: %.1f s%n", seconds);
        assertEquals(0, rc, out);
        assertTrue(out.contains("124 classes"), out);
        SpeechCorpus c = SpeechCorpus.open(dir, SEED, quiet);
        for (SpeechCorpus.Split s : SpeechCorpus.Split.values()) {
            long frames = c.utterances(s).stream().mapToLong(SpeechCorpus.Utterance::frames).sum();
            int budget = switch (s) {
                case TRAIN -> SpeechCorpus.QUICK.train();
                case DEV -> SpeechCorpus.QUICK.dev();
                case TEST_SPEAKERS -> SpeechCorpus.QUICK.testSpeakers();
                case TEST_VOICE -> SpeechCorpus.QUICK.testVoice();
            };
            assertTrue(frames >= budget && frames < budget + 2000, s.label + ": " + frames + " frames for a budget of " + budget);
        }
        // sentences never cross train / dev / test; speakers stay in their role
        Set<Integer> train = sentences(c, SpeechCorpus.Split.TRAIN), dev = sentences(c, SpeechCorpus.Split.DEV);
        Set<Integer> test = sentences(c, SpeechCorpus.Split.TEST_SPEAKERS);
        test.addAll(sentences(c, SpeechCorpus.Split.TEST_VOICE));
        for (int s : dev) assertTrue(!train.contains(s), "dev sentence " + s + " also in train");
        for (int s : test) assertTrue(!train.contains(s) && !dev.contains(s), "test sentence " + s + " also in train or dev");
        for (SpeechCorpus.Utterance u : c.utterances()) {
            PseudoSpeaker.Role want = switch (u.split()) {
                case TRAIN, DEV -> PseudoSpeaker.Role.TRAIN;
                case TEST_SPEAKERS -> PseudoSpeaker.Role.HELD_OUT;
                case TEST_VOICE -> PseudoSpeaker.Role.HELD_OUT_VOICE;
            };
            assertEquals(want, u.speaker().role(), u.id());
        }
        // normalised training features: mean 0, variance 1 per coefficient
        SpeechFeatures f = SpeechFeatures.load(c, quiet);
        SpeechFeatures.FrameSet tr = f.get(SpeechCorpus.Split.TRAIN);
        for (int m = 0; m < Fbank.NUM_MELS; m++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < tr.frames(); i++) { double v = tr.feats[i * Fbank.NUM_MELS + m]; sum += v; sq += v * v; }
            double mean = sum / tr.frames(), var = sq / tr.frames() - mean * mean;
            assertEquals(0, mean, 1e-3, "mel " + m);
            assertEquals(1, var, 1e-2, "mel " + m);
        }
    }

    @Test
    void framesAndLabelsAlignOnASynthesisedUtterance() throws IOException {
        Path dir = tmp.resolve("c");
        SpeechCorpus.build(dir, TINY, SEED, false, quiet);
        SpeechCorpus c = SpeechCorpus.open(dir, SEED, quiet);
        SpeechCorpus.Utterance u = c.utterances().get(0);
        Wav.Audio a = Wav.read(c.wav(u));
        assertEquals(16000, a.sampleRate());
        assertEquals(u.samples(), a.samples().length);
        int frames = Fbank.numFrames(a.samples().length);
        assertEquals(u.frames(), frames);
        assertEquals(1 + (a.samples().length - 400) / 160, frames, "25 ms windows every 10 ms");
        List<SpeechCorpus.State> states = SpeechCorpus.readLab(c.lab(u));
        double dur = a.samples().length / 16000.0, last = states.get(states.size() - 1).end();
        assertTrue(Math.abs(last - dur) < 0.01, "last state ends at " + last + " s, the wav lasts " + dur + " s");
        assertTrue(states.size() % 3 == 0 || states.stream().anyMatch(s -> s.name().equals("pau_161")),
                "3 states per phone (ssil has one): " + states.size());
        int[] labels = SpeechCorpus.frameLabels(states, frames);
        assertEquals(frames, labels.length);
        assertTrue(PhoneStates.isSilence(labels[0]) && PhoneStates.isSilence(labels[frames - 1]), "utterances start and end in silence");
        SpeechFeatures f = SpeechFeatures.load(c, quiet);
        SpeechFeatures.FrameSet set = f.get(u.split());
        assertEquals(frames, set.uttStart[1] - set.uttStart[0]);
        assertArrayEquals(labels, java.util.Arrays.copyOf(set.labels, frames));
        // every state of the utterance owns the frames whose centre falls in it, in order
        int distinct = 1;
        for (int i = 1; i < frames; i++) if (labels[i] != labels[i - 1]) distinct++;
        assertTrue(distinct >= states.size() / 2, distinct + " label runs for " + states.size() + " states");
    }

    @Test
    void sameSeedSameCorpus() throws IOException {
        SpeechCorpus.build(tmp.resolve("a"), TINY, SEED, false, quiet);
        SpeechCorpus.build(tmp.resolve("b"), TINY, SEED, false, quiet);
        List<SpeechCorpus.Utterance> a = SpeechCorpus.open(tmp.resolve("a"), SEED, quiet).utterances();
        List<SpeechCorpus.Utterance> b = SpeechCorpus.open(tmp.resolve("b"), SEED, quiet).utterances();
        assertEquals(a.size(), b.size(), "seed " + SEED);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i), b.get(i), "seed " + SEED + ": utterance " + a.get(i).id() + " (wav and label checksums) repeats");
        }
    }

    @Test
    void damagedWavIsNamedAndNothingDeleted() throws IOException {
        Path dir = tmp.resolve("c");
        SpeechCorpus.build(dir, TINY, SEED, false, quiet);
        SpeechCorpus c = SpeechCorpus.open(dir, SEED, quiet);
        SpeechFeatures.load(c, quiet);
        Path wav = c.wav(c.utterances().get(2));
        byte[] b = Files.readAllBytes(wav);
        b[b.length / 2] ^= 0x10;
        Files.write(wav, b);
        List<Path> before = files(dir);
        IOException e = assertThrows(IOException.class, () -> SpeechCorpus.open(dir, SEED, quiet));
        assertTrue(e.getMessage().contains(wav.toString()) && e.getMessage().contains("damaged"), e.getMessage());
        // through the command: exit 1, the same message, every file still there
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = SpeechCommand.run(new String[] {"--seed", Long.toString(SEED), "--corpus", dir.toString()}, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(1, rc);
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains(wav.toString()), buf.toString(StandardCharsets.UTF_8));
        assertEquals(before, files(dir));
    }

    @Test
    void anotherSeedIsRefusedNamingTheManifest() throws IOException {
        Path dir = tmp.resolve("c");
        SpeechCorpus.build(dir, TINY, SEED, false, quiet);
        List<Path> before = files(dir);
        IOException e = assertThrows(IOException.class, () -> SpeechCorpus.ensure(dir, TINY, SEED + 1, false, quiet));
        String m = e.getMessage();
        assertTrue(m.contains(dir.resolve(SpeechCorpus.MANIFEST).toString()) && m.contains("seed " + SEED) && m.contains("" + (SEED + 1)), m);
        assertEquals(before, files(dir));
    }

    @Test
    void editedManifestAndStaleFeaturesHandled() throws IOException {
        Path dir = tmp.resolve("c");
        SpeechCorpus.build(dir, TINY, SEED, false, quiet);
        SpeechCorpus c = SpeechCorpus.open(dir, SEED, quiet);
        SpeechFeatures.load(c, quiet);
        // a damaged features file is derived data: recomputed, with a line saying why
        Path feat = dir.resolve("features").resolve("dev.safetensors");
        byte[] b = Files.readAllBytes(feat);
        b[b.length - 3] ^= 0x01;
        Files.write(feat, b);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SpeechFeatures f = SpeechFeatures.load(c, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains(feat.toString()), log.toString(StandardCharsets.UTF_8));
        assertNotNull(StateDict.read(feat));
        assertTrue(f.get(SpeechCorpus.Split.DEV).frames() > 0);
        // an edited manifest is refused
        Path manifest = dir.resolve(SpeechCorpus.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("seed\t" + SEED, "seed\t" + (SEED + 5)));
        IOException e = assertThrows(IOException.class, () -> SpeechCorpus.open(dir, SEED + 5, quiet));
        assertTrue(e.getMessage().contains(manifest.toString()) && e.getMessage().contains("edited"), e.getMessage());
    }

    /**
     * sox pitch moves speech in time by 4-11 ms; after PitchAlign the 1 ms log-energy envelope of the
     * shifted wav lines up with the unshifted one within 1 ms, for shifts at and beyond the pseudo-speakers' range.
     */
    @Test
    void pitchShiftKeepsTheLabelsAligned() throws IOException {
        Path helper = SpeechTools.helper(tmp.resolve("bin"), quiet);
        Path raw = tmp.resolve("raw.wav"), lab = tmp.resolve("raw.lab");
        Process p = new ProcessBuilder(helper.toString()).start();
        p.getOutputStream().write(("slt\t1.0\t5\t" + raw + "\t" + lab + "\tShe sells sea shells by the sea shore, every day at noon.\n")
                .getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String reply = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(reply.startsWith("ok "), reply);
        short[] x = Wav.read(raw).samples();
        double[] ex = envelope(x);
        for (int cents : new int[] {-300, -200, 200, 300}) {
            Path out = tmp.resolve("p" + cents + ".wav");
            SpeechTools.run(List.of("sox", "-R", "-D", raw.toString(), out.toString(), "pitch", Integer.toString(cents)), quiet, 60);
            short[] y = Wav.read(out).samples();
            assertTrue(Math.abs(y.length - x.length) <= SpeechCorpus.MAX_PITCH_LENGTH_CHANGE, cents + " cents: " + x.length + " -> " + y.length + " samples");
            if (y.length != x.length) y = java.util.Arrays.copyOf(y, x.length);
            PitchAlign.Aligned aligned = PitchAlign.align(x, y);
            double[] ey = envelope(aligned.samples());
            int best = 0;
            double bestCorr = -2;
            for (int lag = -20; lag <= 20; lag++) {
                double c = correlation(ex, ey, lag);
                if (c > bestCorr) { bestCorr = c; best = lag; }
            }
            System.out.printf("sox pitch %+d cents: sox moved it by %.1f ms; after PitchAlign, envelope lag %d ms, correlation %.3f%n",
                    cents, aligned.lagSamples() / 16.0, best, bestCorr);
            assertTrue(Math.abs(aligned.lagSamples()) >= 16, cents + " cents: sox did move the signal (if not, PitchAlign is untested here)");
            assertTrue(Math.abs(best) <= 1 && bestCorr > 0.9, cents + " cents: lag " + best + " ms, correlation " + bestCorr);
        }
    }

    // log energy of 10 ms windows every 1 ms, written out here again so the test does not trust PitchAlign's
    private static double[] envelope(short[] x) {
        double[] e = new double[(x.length - 160) / 16];
        for (int i = 0; i < e.length; i++) {
            double s = 0;
            for (int t = 0; t < 160; t++) s += (double) x[i * 16 + t] * x[i * 16 + t];
            e[i] = Math.log(1 + s);
        }
        return e;
    }

    // Pearson correlation of a[i] and b[i + lag] over the frames both have, 10 frames in from the ends
    private static double correlation(double[] a, double[] b, int lag) {
        int lo = 50, hi = Math.min(a.length, b.length) - 50;
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int i = lo; i < hi; i++) {
            double u = a[i], v = b[i + lag];
            sa += u; sb += v; saa += u * u; sbb += v * v; sab += u * v; n++;
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }

    private static Set<Integer> sentences(SpeechCorpus c, SpeechCorpus.Split s) {
        Set<Integer> out = new HashSet<>();
        for (SpeechCorpus.Utterance u : c.utterances(s)) out.add(u.sentence());
        return out;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) { return s.sorted().toList(); }
    }
}
