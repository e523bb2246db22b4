package distill4j.examples.speech;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code speech-data}: builds (on first use) and verifies the synthetic speech corpus, computes its
 * features, and prints what it holds. The experiments (paper §4 and §6) will use
 * {@link SpeechCorpus#ensure} and {@link SpeechFeatures#load} the same way.
 *
 * <pre>
 * usage: speech-data [--quick] [--seed N] [--corpus DIR] [--install] [--no-features]
 *   --quick        the small corpus (~3 min of training audio), else the full one (~1 h)
 *   --seed N       corpus seed (default 1); an existing corpus built with another seed is refused
 *   --corpus DIR   where the corpus lives (default $DISTILL4J_CACHE/speech/&lt;quick|full&gt;)
 *   --install      install missing Debian packages with apt-get (needs root)
 *   --no-features  stop after building and verifying the corpus
 * </pre>
 */
public final class SpeechCommand {
    private SpeechCommand() {}

    public static final long DEFAULT_SEED = 1;

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the command; returns the exit code (0 ok, 1 failed, 2 usage). */
    public static int run(String[] args, PrintStream out) {
        boolean quick = false, install = false, features = true;
        long seed = DEFAULT_SEED;
        Path dir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--install" -> install = true;
                    case "--no-features" -> features = false;
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
                    case "--corpus" -> dir = Path.of(value(args, ++i, "--corpus"));
                    case "--help", "-h" -> { out.println(usage()); return 0; }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            out.println("speech-data: " + e.getMessage());
            out.println(usage());
            return 2;
        }
        SpeechCorpus.Budget budget = quick ? SpeechCorpus.QUICK : SpeechCorpus.FULL;
        if (dir == null) dir = SpeechCorpus.defaultDir(budget);
        try {
            long t0 = System.nanoTime();
            SpeechCorpus corpus = SpeechCorpus.ensure(dir, budget, seed, install, out);
            double open = (System.nanoTime() - t0) / 1e9;
            SpeechFeatures f = null;
            double featSeconds = 0;
            if (features) {
                long t1 = System.nanoTime();
                f = SpeechFeatures.load(corpus, out);
                featSeconds = (System.nanoTime() - t1) / 1e9;
            }
            out.print(summary(corpus, f));
            out.printf(Locale.ROOT, "time: corpus build %.1f s (recorded at build), open + verify this run %.1f s%s%n",
                    corpus.buildSeconds(), open, features ? String.format(Locale.ROOT, ", features %.1f s", featSeconds) : "");
            return 0;
        } catch (IOException | RuntimeException e) {
            out.println("speech-data: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) throw new IllegalArgumentException(opt + " needs a value");
        return args[i];
    }

    public static String usage() {
        return "usage: speech-data [--quick] [--seed N] [--corpus DIR] [--install] [--no-features]";
    }

    /** The data summary: voices, pseudo-speakers, utterances, frames and classes per split. */
    public static String summary(SpeechCorpus corpus, SpeechFeatures features) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "speech corpus %s (%s, seed %d), flite HMM-state labels, %d classes%n",
                corpus.dir(), corpus.size(), corpus.seed(), PhoneStates.count()));
        sb.append("voices: train ").append(String.join(", ", PseudoSpeaker.TRAIN_VOICES)).append("; held out: ")
                .append(PseudoSpeaker.HELD_OUT_VOICE).append('\n');
        for (PseudoSpeaker.Role r : PseudoSpeaker.Role.values()) {
            List<String> ids = new ArrayList<>();
            for (PseudoSpeaker s : PseudoSpeaker.withRole(r)) ids.add(s.id());
            sb.append("pseudo-speakers ").append(r.name().toLowerCase(Locale.ROOT)).append(" (").append(ids.size()).append("): ")
                    .append(String.join(" ", ids)).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%-14s %6s %9s %9s %9s %8s %8s%n", "split", "utts", "sentences", "frames", "audio", "classes", "silence"));
        for (SpeechCorpus.Split s : SpeechCorpus.Split.values()) {
            List<SpeechCorpus.Utterance> u = corpus.utterances(s);
            long frames = 0, samples = 0;
            for (SpeechCorpus.Utterance x : u) { frames += x.frames(); samples += x.samples(); }
            long sentences = u.stream().mapToInt(SpeechCorpus.Utterance::sentence).distinct().count();
            String classes = "-", silence = "-";
            if (features != null) {
                int[] n = features.get(s).classCounts();
                int seen = 0;
                long sil = 0;
                for (int c = 0; c < n.length; c++) { if (n[c] > 0) seen++; if (PhoneStates.isSilence(c)) sil += n[c]; }
                classes = seen + "/" + n.length;
                silence = String.format(Locale.ROOT, "%.1f%%", 100.0 * sil / Math.max(1, frames));
            }
            sb.append(String.format(Locale.ROOT, "%-14s %6d %9d %9d %7.1f m %8s %8s%n", s.label, u.size(), sentences, frames,
                    samples / (double) Fbank.SAMPLE_RATE / 60, classes, silence));
        }
        long shifted = 0, maxLag = 0;
        double sumLag = 0;
        for (SpeechCorpus.Utterance u : corpus.utterances()) {
            if (u.speaker().cents() == 0) continue;
            shifted++;
            sumLag += Math.abs(u.pitchLag());
            maxLag = Math.max(maxLag, Math.abs(u.pitchLag()));
        }
        sb.append(String.format(Locale.ROOT, "sox pitch: %d of %d utterances shifted, their time shift undone (mean %.1f ms, max %.1f ms)%n",
                shifted, corpus.utterances().size(), shifted == 0 ? 0 : sumLag / shifted / 16, maxLag / 16.0));
        return sb.toString();
    }
}
