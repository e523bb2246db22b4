package distill4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the speech pipeline that need no flite: inventory, labels, wav io, splits, context. */
class SpeechUnitsTest {
    @TempDir Path tmp;

    @Test
    void inventoryIsFlitesStateTable() {
        assertEquals(124, PhoneStates.count());
        assertEquals(0, PhoneStates.id("aa_1"));
        assertEquals("ae_6", PhoneStates.NAMES.get(3));
        assertEquals("pau_141", PhoneStates.NAMES.get(PhoneStates.id("pau_141")));
        assertEquals("t_164", PhoneStates.NAMES.get(PhoneStates.id("sh_158") + 1));
        assertEquals("zh_206", PhoneStates.NAMES.get(122));
        assertEquals("pau_161", PhoneStates.NAMES.get(123));
        assertTrue(PhoneStates.isSilence(PhoneStates.id("pau_161")));
        assertEquals("zh", PhoneStates.phone(PhoneStates.id("zh_205")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhoneStates.id("xx_1"));
        assertTrue(e.getMessage().contains("xx_1"));
    }

    @Test
    void frameLabelsTakeTheStateAtEachFrameCentre() {
        // states end at 20 ms, 35 ms, 100 ms; frame i's centre is at 12.5 + 10 i ms
        List<SpeechCorpus.State> states = List.of(new SpeechCorpus.State(0.020, 5, "a"), new SpeechCorpus.State(0.035, 6, "b"),
                new SpeechCorpus.State(0.100, 7, "c"));
        // centres 12.5, 22.5, 32.5, 42.5, ... 92.5, 102.5 (past the end: last state)
        assertArrayEquals(new int[] {5, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7}, SpeechCorpus.frameLabels(states, 11));
    }

    @Test
    void wavRoundTripAndTruncatedFileNamed() throws IOException {
        short[] x = {0, 1, -1, 32767, -32768, 1234};
        Path f = tmp.resolve("a.wav");
        Wav.write(f, x, 16000);
        Wav.Audio a = Wav.read(f);
        assertArrayEquals(x, a.samples());
        assertEquals(16000, a.sampleRate());
        byte[] b = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.wav");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length - 4));
        IOException e = assertThrows(IOException.class, () -> Wav.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        Path junk = tmp.resolve("junk.wav");
        Files.writeString(junk, "not a wav at all");
        e = assertThrows(IOException.class, () -> Wav.read(junk));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    }

    @Test
    void sentenceSplitIsDisjointAndDeterministic() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) all.add("sentence number " + i + " here");
        long seed = 7;
        Sentences.Split a = Sentences.split(all, seed), b = Sentences.split(all, seed), c = Sentences.split(all, seed + 1);
        assertEquals(a, b, "seed " + seed);
        assertTrue(!a.train().equals(c.train()), "another seed gives another split");
        Set<Integer> seen = new HashSet<>();
        for (List<Integer> part : List.of(a.train(), a.dev(), a.test())) for (int i : part) assertTrue(seen.add(i), "sentence " + i + " in two splits");
        assertEquals(500, seen.size());
        assertEquals(60, a.test().size());
        assertEquals(40, a.dev().size());
    }

    @Test
    void noiseHitsTheRequestedSnr() {
        long seed = 3;
        Random rng = new Random(seed);
        short[] x = new short[160_000];
        for (int i = 0; i < x.length; i++) x[i] = (short) Math.round(8000 * Math.sin(i * 0.05));
        short[] y = x.clone();
        SpeechCorpus.addNoise(y, 20, rng);
        double ps = 0, pn = 0;
        for (int i = 0; i < x.length; i++) { ps += (double) x[i] * x[i]; pn += (double) (y[i] - x[i]) * (y[i] - x[i]); }
        double snr = 10 * Math.log10(ps / pn);
        assertEquals(20, snr, 0.1, "seed " + seed); // 160k Gaussian samples: the noise power is within ~1%
    }

    @Test
    void contextIsTwentyPastTargetFivefutureWithEndsRepeated() {
        // two utterances of 30 and 4 frames; frame value = its global index in every coefficient
        int frames = 34;
        float[] feats = new float[frames * Fbank.NUM_MELS];
        for (int i = 0; i < frames; i++) java.util.Arrays.fill(feats, i * Fbank.NUM_MELS, (i + 1) * Fbank.NUM_MELS, i);
        SpeechFeatures.FrameSet set = new SpeechFeatures.FrameSet(SpeechCorpus.Split.TRAIN, feats, new int[frames], new int[] {0, 30, 34}, new int[] {0, 1});
        assertEquals(26, SpeechFeatures.CONTEXT);
        assertEquals(1040, SpeechFeatures.INPUT_SIZE);
        float[] out = set.batch(new int[] {25, 2, 31});
        for (int c = 0; c < 26; c++) {
            // frame 25: frames 5..30 -> 5..29, 29 (end of utterance 0 repeated)
            assertEquals(Math.min(29, 25 - 20 + c), out[c * Fbank.NUM_MELS], "frame 25, slot " + c);
            // frame 2: the first frame repeated before it
            assertEquals(Math.max(0, Math.min(29, 2 - 20 + c)), out[SpeechFeatures.INPUT_SIZE + c * Fbank.NUM_MELS + 7], "frame 2, slot " + c);
            // frame 31 of utterance 1 (30..33): never reaches into utterance 0
            assertEquals(Math.max(30, Math.min(33, 31 - 20 + c)), out[2 * SpeechFeatures.INPUT_SIZE + c * Fbank.NUM_MELS + 39], "frame 31, slot " + c);
        }
        // the 21st slot is the target frame itself
        assertEquals(25, out[20 * Fbank.NUM_MELS]);
    }
}
