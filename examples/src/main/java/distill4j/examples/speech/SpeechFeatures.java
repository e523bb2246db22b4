package distill4j.examples.speech;

import distill4j.engine.io.StateDict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The acoustic model's inputs and targets: log-Mel features ({@link Fbank}) of every corpus frame, its
 * HMM-state class, global mean/variance normalisation, and the paper's context window.
 *
 * <p>Normalisation: one mean and standard deviation per coefficient, over all training frames (the
 * common choice; per-utterance normalisation would also remove some speaker differences the experiment
 * wants to keep), applied to every split. Standard deviations are floored at {@value #STD_FLOOR}.
 *
 * <p>Context (paper §4): 26 frames, the 20 before the target frame, the frame itself, and the 5 after,
 * so the label is that of the 21st frame. Near an utterance's ends the first or last frame is repeated.
 * The input is {@code 26 x 40 = 1040} floats, frame by frame, oldest first; windows are gathered on
 * demand ({@link FrameSet#context}), never stored.
 *
 * <p>Cache: {@code <corpus>/features/<split>.safetensors} (arrays {@code fbank (frames, 40)},
 * {@code labels (frames)}, {@code utt_start (utterances + 1)}, {@code utt_speaker (utterances)}: raw,
 * unnormalised) and {@code norm.safetensors} ({@code mean (40)}, {@code std (40)}), written through the
 * engine's StateDict, so each carries the SHA-256 of its data; metadata ties each file to the corpus
 * manifest's checksum. A file that is stale, unreadable or damaged is recomputed from the corpus (it is
 * derived data) with a line saying why.
 */
public final class SpeechFeatures {
    public static final int PAST = 20, FUTURE = 5, CONTEXT = PAST + 1 + FUTURE;
    public static final int INPUT_SIZE = CONTEXT * Fbank.NUM_MELS;
    public static final float STD_FLOOR = 1e-3f;
    static final String VERSION = "fbank-v1"; // bump when Fbank's definition changes

    /** The frames of one split, normalised. */
    public static final class FrameSet {
        public final SpeechCorpus.Split split;
        /** (frames, 40), normalised. */
        public final float[] feats;
        /** class id per frame, in [0, {@link PhoneStates#count()}). */
        public final int[] labels;
        /** utterance u covers frames [uttStart[u], uttStart[u+1]). */
        public final int[] uttStart;
        /** index into {@link PseudoSpeaker#ALL} per utterance. */
        public final int[] uttSpeaker;
        private final int[] frameUtt;

        FrameSet(SpeechCorpus.Split split, float[] feats, int[] labels, int[] uttStart, int[] uttSpeaker) {
            this.split = split; this.feats = feats; this.labels = labels; this.uttStart = uttStart; this.uttSpeaker = uttSpeaker;
            frameUtt = new int[labels.length];
            for (int u = 0; u + 1 < uttStart.length; u++) java.util.Arrays.fill(frameUtt, uttStart[u], uttStart[u + 1], u);
        }

        public int frames() { return labels.length; }
        public int utterances() { return uttStart.length - 1; }
        public int utteranceOf(int frame) { return frameUtt[frame]; }

        // frame -> out[off .. off + 1040): frames frame-20 .. frame+5 of its utterance, ends repeated
        public void context(int frame, float[] out, int off) {
            int u = frameUtt[frame], lo = uttStart[u], hi = uttStart[u + 1] - 1;
            for (int c = -PAST; c <= FUTURE; c++) {
                int j = Math.max(lo, Math.min(hi, frame + c));
                System.arraycopy(feats, j * Fbank.NUM_MELS, out, off + (c + PAST) * Fbank.NUM_MELS, Fbank.NUM_MELS);
            }
        }

        // frames (B) -> inputs (B, 1040)
        public float[] batch(int[] frames) {
            float[] out = new float[frames.length * INPUT_SIZE];
            for (int b = 0; b < frames.length; b++) context(frames[b], out, b * INPUT_SIZE);
            return out;
        }

        /** How many frames of each class. */
        public int[] classCounts() {
            int[] n = new int[PhoneStates.count()];
            for (int l : labels) n[l]++;
            return n;
        }
    }

    public record Normalisation(float[] mean, float[] std) {}

    private final Map<SpeechCorpus.Split, FrameSet> sets;
    private final Normalisation norm;

    private SpeechFeatures(Map<SpeechCorpus.Split, FrameSet> sets, Normalisation norm) { this.sets = sets; this.norm = norm; }

    public FrameSet get(SpeechCorpus.Split split) { return sets.get(split); }
    public Normalisation normalisation() { return norm; }

    /** Features of every split, from the cache or computed (and cached). */
    public static SpeechFeatures load(SpeechCorpus corpus, PrintStream log) throws IOException {
        Path dir = corpus.dir().resolve("features");
        Files.createDirectories(dir);
        Map<SpeechCorpus.Split, StateDict> raw = new EnumMap<>(SpeechCorpus.Split.class);
        for (SpeechCorpus.Split s : SpeechCorpus.Split.values()) {
            Path f = dir.resolve(s.label + ".safetensors");
            StateDict d = cached(f, corpus, log);
            if (d == null) {
                long t0 = System.nanoTime();
                d = compute(corpus, s);
                d.write(f);
                log.printf(Locale.ROOT, "speech: features of %s: %d frames in %.1f s -> %s%n", s.label, d.array("labels").numel(),
                        (System.nanoTime() - t0) / 1e9, f);
            }
            raw.put(s, d);
        }
        Path nf = dir.resolve("norm.safetensors");
        StateDict nd = cached(nf, corpus, log);
        if (nd == null) {
            nd = normalisation(raw.get(SpeechCorpus.Split.TRAIN), corpus);
            nd.write(nf);
        }
        Normalisation norm = new Normalisation(nd.array("mean").data(), nd.array("std").data());
        Map<SpeechCorpus.Split, FrameSet> sets = new EnumMap<>(SpeechCorpus.Split.class);
        for (var e : raw.entrySet()) {
            StateDict d = e.getValue();
            float[] x = d.array("fbank").data().clone();
            for (int i = 0; i < x.length; i++) {
                int m = i % Fbank.NUM_MELS;
                x[i] = (x[i] - norm.mean()[m]) / norm.std()[m];
            }
            sets.put(e.getKey(), new FrameSet(e.getKey(), x, ints(d.array("labels").data()), ints(d.array("utt_start").data()),
                    ints(d.array("utt_speaker").data())));
        }
        return new SpeechFeatures(sets, norm);
    }

    private static StateDict cached(Path f, SpeechCorpus corpus, PrintStream log) {
        if (!Files.exists(f)) return null;
        try {
            StateDict d = StateDict.read(f);
            if (corpus.manifestSha256().equals(d.metadata().get("corpus_manifest_sha256")) && VERSION.equals(d.metadata().get("features"))) return d;
            log.println("speech: " + f + " belongs to another corpus build or feature version; recomputing it");
        } catch (IOException | RuntimeException e) {
            log.println("speech: " + f + " unreadable (" + e.getMessage() + "); recomputing it");
        }
        return null;
    }

    static StateDict compute(SpeechCorpus corpus, SpeechCorpus.Split split) throws IOException {
        List<SpeechCorpus.Utterance> utts = corpus.utterances(split);
        int total = 0;
        for (SpeechCorpus.Utterance u : utts) total += u.frames();
        float[] fb = new float[total * Fbank.NUM_MELS];
        float[] labels = new float[total], start = new float[utts.size() + 1], speaker = new float[utts.size()];
        Fbank fbank = new Fbank();
        int at = 0;
        for (int k = 0; k < utts.size(); k++) {
            SpeechCorpus.Utterance u = utts.get(k);
            Path wav = corpus.wav(u);
            short[] x = Wav.read(wav).samples();
            if (x.length != u.samples()) throw new IOException(wav + ": " + x.length + " samples, manifest says " + u.samples());
            float[] f = fbank.compute(x);
            int frames = f.length / Fbank.NUM_MELS;
            if (frames != u.frames()) throw new IOException(wav + ": " + frames + " frames, manifest says " + u.frames());
            int[] l = SpeechCorpus.frameLabels(SpeechCorpus.readLab(corpus.lab(u)), frames);
            System.arraycopy(f, 0, fb, at * Fbank.NUM_MELS, f.length);
            for (int i = 0; i < frames; i++) labels[at + i] = l[i];
            start[k] = at;
            speaker[k] = u.speaker().index();
            at += frames;
        }
        start[utts.size()] = at;
        return StateDict.builder()
                .array("fbank", new int[] {total, Fbank.NUM_MELS}, fb)
                .array("labels", new int[] {total}, labels)
                .array("utt_start", new int[] {utts.size() + 1}, start)
                .array("utt_speaker", new int[] {utts.size()}, speaker)
                .metadata("corpus_manifest_sha256", corpus.manifestSha256())
                .metadata("features", VERSION)
                .metadata("split", split.label)
                .build();
    }

    static StateDict normalisation(StateDict train, SpeechCorpus corpus) {
        float[] x = train.array("fbank").data();
        int n = x.length / Fbank.NUM_MELS;
        double[] sum = new double[Fbank.NUM_MELS], sq = new double[Fbank.NUM_MELS];
        for (int i = 0; i < x.length; i++) { sum[i % Fbank.NUM_MELS] += x[i]; sq[i % Fbank.NUM_MELS] += (double) x[i] * x[i]; }
        float[] mean = new float[Fbank.NUM_MELS], std = new float[Fbank.NUM_MELS];
        for (int m = 0; m < Fbank.NUM_MELS; m++) {
            double mu = sum[m] / n;
            mean[m] = (float) mu;
            std[m] = (float) Math.max(STD_FLOOR, Math.sqrt(Math.max(0, sq[m] / n - mu * mu)));
        }
        return StateDict.builder().array("mean", new int[] {Fbank.NUM_MELS}, mean).array("std", new int[] {Fbank.NUM_MELS}, std)
                .metadata("corpus_manifest_sha256", corpus.manifestSha256()).metadata("features", VERSION)
                .metadata("frames", Integer.toString(n)).build();
    }

    private static int[] ints(float[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (int) a[i];
        return out;
    }
}
