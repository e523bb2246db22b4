package distill4j.examples.speech;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The synthetic speech corpus: flite's statistical voices reading fortunes-min sentences, with the
 * HMM state of every 10 ms frame from flite's own {@code HMMstate} relation. Built once into a cache
 * directory, deterministically from a seed, never committed.
 *
 * <p>Splits (sentences never cross splits, see {@link Sentences}):
 * <ul>
 *   <li>{@code train}: train sentences, the 10 training pseudo-speakers of awb and slt;</li>
 *   <li>{@code dev}: dev sentences, the same speakers (for early stopping);</li>
 *   <li>{@code test-speakers}: test sentences, the 4 held-out pseudo-speakers of awb and slt;</li>
 *   <li>{@code test-voice}: the same test sentences, the held-out voice rms (7 pseudo-speakers).</li>
 * </ul>
 * A split is filled until its frame budget is reached, cycling through its sentences; the {@code j}-th
 * utterance reads sentence {@code j mod S} with speaker {@code (j + j div S) mod P}, so a sentence read
 * again gets another speaker.
 *
 * <p>Integrity: {@code manifest.tsv} records the seed, the size, a checksum of the text files, and for
 * every utterance the SHA-256 of its wav and label file; the manifest ends with the SHA-256 of itself.
 * {@link #open} verifies all of it and refuses, naming the file, a damaged or edited file, or a corpus
 * built with another seed; it never deletes anything. A build runs in {@code <dir>.building} (removed
 * when a new build starts: it only ever holds an unfinished build) and is renamed to {@code <dir>} at the
 * end.
 */
public final class SpeechCorpus {
    public static final int FORMAT = 1;
    public static final String MANIFEST = "manifest.tsv";
    /** Samples {@code sox pitch} may add or drop before the build refuses (1 ms). */
    static final int MAX_PITCH_LENGTH_CHANGE = 16;

    /** Frame budgets (10 ms frames) per split. */
    public record Budget(String name, int train, int dev, int testSpeakers, int testVoice) {}

    /** quick: ~3 min of training audio (builds in seconds); full: ~1 h (360k frames). */
    public static final Budget QUICK = new Budget("quick", 18_000, 3_000, 3_000, 3_000);
    public static final Budget FULL = new Budget("full", 360_000, 30_000, 36_000, 36_000);

    public enum Split {
        TRAIN("train"), DEV("dev"), TEST_SPEAKERS("test-speakers"), TEST_VOICE("test-voice");
        public final String label;
        Split(String label) { this.label = label; }
        public static Split of(String label) {
            for (Split s : values()) if (s.label.equals(label)) return s;
            throw new IllegalArgumentException("unknown split " + label);
        }
    }

    /** One wav; {@code pitchLag}: samples by which sox pitch had moved it in time, undone (0 without pitch shift). */
    public record Utterance(String id, Split split, PseudoSpeaker speaker, int sentence, String text,
                            int samples, int frames, int pitchLag, String wavSha256, String labSha256) {}

    private final Path dir;
    private final long seed;
    private final String size;
    private final double buildSeconds;
    private final String manifestSha256;
    private final List<Utterance> utterances;

    private SpeechCorpus(Path dir, long seed, String size, double buildSeconds, String manifestSha256, List<Utterance> utterances) {
        this.dir = dir;
        this.seed = seed;
        this.size = size;
        this.buildSeconds = buildSeconds;
        this.manifestSha256 = manifestSha256;
        this.utterances = List.copyOf(utterances);
    }

    public Path dir() { return dir; }
    public long seed() { return seed; }
    public String size() { return size; }
    public double buildSeconds() { return buildSeconds; }
    public String manifestSha256() { return manifestSha256; }
    public List<Utterance> utterances() { return utterances; }
    public List<Utterance> utterances(Split split) { return utterances.stream().filter(u -> u.split == split).toList(); }
    public Path wav(Utterance u) { return dir.resolve("wav").resolve(u.id + ".wav"); }
    public Path lab(Utterance u) { return dir.resolve("lab").resolve(u.id + ".lab"); }

    /** {@code $DISTILL4J_CACHE/speech/<size>} or {@code ~/.cache/distill4j/speech/<size>}. */
    public static Path defaultDir(Budget budget) {
        String env = System.getenv("DISTILL4J_CACHE");
        Path root = env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "distill4j");
        return root.resolve("speech").resolve(budget.name());
    }

    /** Opens the corpus in {@code dir}, building it first when there is none. */
    public static SpeechCorpus ensure(Path dir, Budget budget, long seed, boolean install, PrintStream log) throws IOException {
        if (Files.exists(dir.resolve(MANIFEST))) return open(dir, seed, log);
        if (Files.exists(dir) && !isEmptyDir(dir)) {
            throw new IOException(dir + " exists but holds no " + MANIFEST + ": not a speech corpus; choose another directory "
                    + "or remove it (nothing was deleted)");
        }
        build(dir, budget, seed, install, log);
        return open(dir, seed, log);
    }

    // ---------------------------------------------------------------------------------------------- build

    /** Builds a corpus into {@code dir} (which must not exist or be empty). */
    public static void build(Path dir, Budget budget, long seed, boolean install, PrintStream log) throws IOException {
        long t0 = System.nanoTime();
        SpeechTools.ensure(install, log);
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path work = parent.resolve(dir.getFileName() + ".building");
        if (Files.exists(work)) {
            log.println("speech: removing an unfinished build " + work);
            deleteTree(work);
        }
        Files.createDirectories(work.resolve("wav"));
        Files.createDirectories(work.resolve("lab"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path helper = SpeechTools.helper(parent.resolve("bin"), log);

        List<String> all = Sentences.read(Sentences.DIR);
        Sentences.Split text = Sentences.split(all, seed);
        log.printf(Locale.ROOT, "speech: building the %s corpus (seed %d) into %s: %d sentences (train %d, dev %d, test %d)%n",
                budget.name(), seed, dir, all.size(), text.train().size(), text.dev().size(), text.test().size());

        List<Utterance> made = new ArrayList<>();
        Process proc = new ProcessBuilder(helper.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedWriter toHelper = new BufferedWriter(new OutputStreamWriter(proc.getOutputStream(), StandardCharsets.UTF_8));
             BufferedReader fromHelper = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            Synth synth = new Synth(toHelper, fromHelper, work, tmp, seed, made, log);
            synth.fill(Split.TRAIN, text.train(), all, PseudoSpeaker.withRole(PseudoSpeaker.Role.TRAIN), budget.train());
            synth.fill(Split.DEV, text.dev(), all, PseudoSpeaker.withRole(PseudoSpeaker.Role.TRAIN), budget.dev());
            synth.fill(Split.TEST_SPEAKERS, text.test(), all, PseudoSpeaker.withRole(PseudoSpeaker.Role.HELD_OUT), budget.testSpeakers());
            synth.fill(Split.TEST_VOICE, text.test(), all, PseudoSpeaker.withRole(PseudoSpeaker.Role.HELD_OUT_VOICE), budget.testVoice());
        } finally {
            proc.destroy();
        }
        deleteTree(tmp);
        double seconds = (System.nanoTime() - t0) / 1e9;
        writeManifest(work.resolve(MANIFEST), budget, seed, textChecksum(), helper.getFileName().toString(), seconds, made);
        if (Files.exists(dir)) Files.delete(dir); // an empty directory (checked by the caller)
        Files.move(work, dir, StandardCopyOption.ATOMIC_MOVE);
        log.printf(Locale.ROOT, "speech: built %d utterances in %.1f s into %s%n", made.size(), seconds, dir);
    }

    /** Feeds jobs to the helper, post-processes its output, and records utterances. */
    private static final class Synth {
        final BufferedWriter out;
        final BufferedReader in;
        final Path work, tmp;
        final long seed;
        final List<Utterance> made;
        final PrintStream log;

        Synth(BufferedWriter out, BufferedReader in, Path work, Path tmp, long seed, List<Utterance> made, PrintStream log) {
            this.out = out; this.in = in; this.work = work; this.tmp = tmp; this.seed = seed; this.made = made; this.log = log;
        }

        void fill(Split split, List<Integer> sentences, List<String> all, List<PseudoSpeaker> speakers, int budget) throws IOException {
            int frames = 0, s = sentences.size(), p = speakers.size();
            int j = 0;
            for (; frames < budget && j < s * p; j++) {
                int sentence = sentences.get(j % s);
                PseudoSpeaker spk = speakers.get((j + j / s) % p);
                String id = String.format(Locale.ROOT, "%s-%05d-%s", split.label, j, spk.id());
                Utterance u = make(id, split, spk, sentence, all.get(sentence), made.size());
                made.add(u);
                frames += u.frames();
                if (made.size() % 200 == 0) log.printf(Locale.ROOT, "speech:   %d utterances (%s: %d of %d frames)%n", made.size(), split.label, frames, budget);
            }
            if (frames < budget) {
                log.printf(Locale.ROOT, "speech: warning: %s ran out of sentence x speaker pairs at %d of %d frames%n", split.label, frames, budget);
            }
        }

        Utterance make(String id, Split split, PseudoSpeaker spk, int sentence, String text, int index) throws IOException {
            Path raw = tmp.resolve("raw.wav"), lab = work.resolve("lab").resolve(id + ".lab"), wav = work.resolve("wav").resolve(id + ".wav");
            long uttSeed = (seed * 1_000_003L + index) & 0x7fffffffL;
            out.write(spk.voice() + "\t" + spk.stretch() + "\t" + uttSeed + "\t" + raw + "\t" + lab + "\t" + text + "\n");
            out.flush();
            String reply = in.readLine();
            if (reply == null) throw new IOException("the flite helper stopped while synthesising " + id);
            if (!reply.startsWith("ok ")) throw new IOException("flite helper, utterance " + id + " (\"" + text + "\"): " + reply);
            String[] f = reply.split(" ");
            int samples = Integer.parseInt(f[1]), rate = Integer.parseInt(f[2]);
            if (rate != Fbank.SAMPLE_RATE) throw new IOException("voice " + spk.voice() + " synthesises at " + rate + " Hz, expected " + Fbank.SAMPLE_RATE);
            Path source = raw;
            if (spk.cents() != 0) {
                source = tmp.resolve("pitched.wav");
                // -R: repeatable random numbers, -D: no dither (sox dithers to 16 bits with time-seeded noise)
                SpeechTools.run(List.of("sox", "-R", "-D", raw.toString(), source.toString(), "pitch", Integer.toString(spk.cents())), log, 120);
            }
            short[] x = Wav.read(source).samples();
            int lag = 0;
            if (spk.cents() != 0) {
                // sox pitch keeps the length to within a sample or two: cut or zero-pad to flite's length,
                // then undo the time shift it introduces (PitchAlign) so the state timings still hold
                if (Math.abs(x.length - samples) > MAX_PITCH_LENGTH_CHANGE) {
                    throw new IOException("sox pitch " + spk.cents() + " changed the length of " + id + " from " + samples + " to " + x.length
                            + " samples (more than " + MAX_PITCH_LENGTH_CHANGE + ")");
                }
                if (x.length != samples) x = java.util.Arrays.copyOf(x, samples);
                PitchAlign.Aligned a = PitchAlign.align(Wav.read(raw).samples(), x);
                x = a.samples();
                lag = a.lagSamples();
            }
            if (!Double.isInfinite(spk.snrDb())) addNoise(x, spk.snrDb(), new Random(uttSeed ^ 0x5DEECE66DL));
            List<State> states = readLab(lab);
            double last = states.get(states.size() - 1).end(), dur = (double) samples / rate;
            // flite's waveform is made of 5 ms frames up to the last state's end
            if (Math.abs(last - dur) > 0.02) {
                throw new IOException(lab + ": last state ends at " + last + " s but the wav lasts " + dur + " s");
            }
            Wav.write(wav, x, rate);
            return new Utterance(id, split, spk, sentence, text, samples, Fbank.numFrames(samples), lag,
                    SpeechTools.sha256(wav), SpeechTools.sha256(lab));
        }
    }

    /** x += white Gaussian noise at {@code snrDb} relative to x's mean power over the whole utterance. */
    static void addNoise(short[] x, double snrDb, Random rng) {
        double power = 0;
        for (short v : x) power += (double) v * v;
        power /= Math.max(1, x.length);
        double sigma = Math.sqrt(power / Math.pow(10, snrDb / 10));
        for (int i = 0; i < x.length; i++) {
            long v = Math.round(x[i] + sigma * rng.nextGaussian());
            x[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
    }

    // ---------------------------------------------------------------------------------------------- labels

    /** One HMM state of an utterance: its end time in seconds, class id and flite name. */
    public record State(double end, int classId, String name) {}

    public static List<State> readLab(Path lab) throws IOException {
        List<State> out = new ArrayList<>();
        int line = 0;
        for (String s : Files.readAllLines(lab, StandardCharsets.UTF_8)) {
            line++;
            String[] f = s.trim().split(" ");
            try {
                if (f.length != 3) throw new IllegalArgumentException("expected 3 fields");
                double end = Double.parseDouble(f[0]);
                if (!out.isEmpty() && end < out.get(out.size() - 1).end()) throw new IllegalArgumentException("end time goes backwards");
                out.add(new State(end, PhoneStates.id(f[1]), f[1]));
            } catch (IllegalArgumentException e) {
                throw new IOException(lab + " line " + line + ": " + e.getMessage());
            }
        }
        if (out.isEmpty()) throw new IOException(lab + ": no states");
        return out;
    }

    /**
     * The class of each frame: the state in force at the frame's centre, sample {@code 160 i + 200}
     * (a state covers {@code [previous end, end)}); past the last end, the last state.
     */
    public static int[] frameLabels(List<State> states, int frames) {
        int[] out = new int[frames];
        int p = 0;
        for (int i = 0; i < frames; i++) {
            double t = (double) (i * Fbank.HOP + Fbank.WINDOW / 2) / Fbank.SAMPLE_RATE;
            while (p < states.size() - 1 && t >= states.get(p).end()) p++;
            out[i] = states.get(p).classId();
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- manifest

    static String textChecksum() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : Sentences.FILES) sb.append(SpeechTools.sha256(Sentences.DIR.resolve(f)));
        return SpeechTools.sha256(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static final String HEADER = "id\tsplit\tspeaker\tsentence\tsamples\tframes\tpitch_lag\twav_sha256\tlab_sha256\ttext";

    static void writeManifest(Path file, Budget budget, long seed, String textSha, String helper, double seconds, List<Utterance> utts) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# distill4j speech corpus, written by distill4j.examples.speech.SpeechCorpus; every file is checked against it\n");
        sb.append("format\t").append(FORMAT).append('\n');
        sb.append("seed\t").append(seed).append('\n');
        sb.append("size\t").append(budget.name()).append('\n');
        sb.append("budget_frames\t").append(budget.train()).append(' ').append(budget.dev()).append(' ')
                .append(budget.testSpeakers()).append(' ').append(budget.testVoice()).append('\n');
        sb.append("text_sha256\t").append(textSha).append('\n');
        sb.append("helper\t").append(helper).append('\n');
        sb.append("build_seconds\t").append(String.format(Locale.ROOT, "%.1f", seconds)).append('\n');
        sb.append("utterances\t").append(utts.size()).append('\n');
        sb.append(HEADER).append('\n');
        for (Utterance u : utts) {
            sb.append(u.id()).append('\t').append(u.split().label).append('\t').append(u.speaker().id()).append('\t')
                    .append(u.sentence()).append('\t').append(u.samples()).append('\t').append(u.frames()).append('\t')
                    .append(u.pitchLag()).append('\t').append(u.wavSha256()).append('\t').append(u.labSha256()).append('\t').append(u.text()).append('\n');
        }
        String body = sb.toString();
        body += "manifest_sha256\t" + SpeechTools.sha256(body.getBytes(StandardCharsets.UTF_8)) + "\n";
        Files.writeString(file, body, StandardCharsets.UTF_8);
    }

    /**
     * Opens and verifies a built corpus: the manifest's own checksum, its seed against {@code seed}, and
     * the SHA-256 of every wav and label file. Errors name the file; nothing is deleted.
     */
    public static SpeechCorpus open(Path dir, long seed, PrintStream log) throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) throw new IOException("no speech corpus in " + dir + " (" + MANIFEST + " missing)");
        String body = Files.readString(file, StandardCharsets.UTF_8);
        int cut = body.lastIndexOf("manifest_sha256\t");
        if (cut < 0) throw new IOException(file + ": damaged or truncated (no manifest_sha256 line); remove " + dir + " to rebuild");
        String want = body.substring(cut + "manifest_sha256\t".length()).strip();
        String got = SpeechTools.sha256(body.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        if (!want.equals(got)) throw new IOException(file + ": damaged or edited (its SHA-256 " + got + " is not the recorded " + want + "); remove " + dir + " to rebuild");
        Map<String, String> keys = new LinkedHashMap<>();
        List<Utterance> utts = new ArrayList<>();
        boolean rows = false;
        for (String line : body.substring(0, cut).split("\n")) {
            if (line.startsWith("#") || line.isEmpty()) continue;
            if (line.equals(HEADER)) { rows = true; continue; }
            String[] f = line.split("\t", -1);
            if (!rows) { keys.put(f[0], f.length > 1 ? f[1] : ""); continue; }
            if (f.length != 10) throw new IOException(file + ": bad row " + line);
            utts.add(new Utterance(f[0], Split.of(f[1]), PseudoSpeaker.byId(f[2]), Integer.parseInt(f[3]), f[9],
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]), f[7], f[8]));
        }
        if (!String.valueOf(FORMAT).equals(keys.get("format"))) {
            throw new IOException(file + ": corpus format " + keys.get("format") + ", this build reads " + FORMAT + "; remove " + dir + " to rebuild");
        }
        long built = Long.parseLong(keys.get("seed"));
        if (built != seed) {
            throw new IOException(file + ": this corpus was built with seed " + built + ", not the requested " + seed
                    + "; use --seed " + built + ", another --corpus directory, or remove " + dir + " to rebuild (nothing was deleted)");
        }
        SpeechCorpus c = new SpeechCorpus(dir, built, keys.get("size"), Double.parseDouble(keys.get("build_seconds")), got, utts);
        for (Utterance u : utts) {
            check(c.wav(u), u.wavSha256(), dir);
            check(c.lab(u), u.labSha256(), dir);
        }
        return c;
    }

    private static void check(Path f, String sha, Path dir) throws IOException {
        if (!Files.isRegularFile(f)) throw new IOException(f + ": missing from the corpus (listed in " + MANIFEST + "); remove " + dir + " to rebuild");
        String got = SpeechTools.sha256(f);
        if (!got.equals(sha)) {
            throw new IOException(f + ": damaged or changed since the corpus was built (SHA-256 " + got + ", manifest says " + sha
                    + "); remove " + dir + " to rebuild (nothing was deleted)");
        }
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) { return s.findAny().isEmpty(); }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
