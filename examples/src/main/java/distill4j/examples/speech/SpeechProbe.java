package distill4j.examples.speech;

import distill4j.engine.Batches;
import distill4j.engine.Tensor;
import distill4j.engine.loss.Losses;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.SGD;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A learnability check of the corpus, not the paper's experiment: one small ReLU net trained for a few
 * epochs on the 26-frame inputs, its frame accuracy per split next to always guessing the most frequent
 * class. If features and labels were out of step, accuracy would stay near that floor.
 *
 * <pre>usage: SpeechProbe [--quick] [--seed N] [--corpus DIR] [--epochs E] [--hidden H] [--frames N]</pre>
 */
public final class SpeechProbe {
    private SpeechProbe() {}

    public static void main(String[] args) throws IOException {
        boolean quick = false;
        long seed = SpeechCommand.DEFAULT_SEED;
        Path dir = null;
        int epochs = 5, hidden = 256, maxFrames = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--corpus" -> dir = Path.of(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--hidden" -> hidden = Integer.parseInt(args[++i]);
                case "--frames" -> maxFrames = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SpeechCorpus.Budget budget = quick ? SpeechCorpus.QUICK : SpeechCorpus.FULL;
        SpeechCorpus corpus = SpeechCorpus.ensure(dir != null ? dir : SpeechCorpus.defaultDir(budget), budget, seed, false, System.out);
        run(SpeechFeatures.load(corpus, System.out), epochs, hidden, maxFrames, seed, System.out);
    }

    /** Trains 1040-H-H-124 with SGD + momentum on up to maxFrames training frames; prints accuracies. */
    public static void run(SpeechFeatures f, int epochs, int hidden, int maxFrames, long seed, PrintStream out) {
        SpeechFeatures.FrameSet train = f.get(SpeechCorpus.Split.TRAIN);
        int n = Math.min(maxFrames, train.frames());
        // a fixed random subset when capped, so the probe sees every utterance
        int[] pick = Batches.shuffled(train.frames(), train.frames(), seed).get(0);
        int[] use = java.util.Arrays.copyOf(pick, n);
        int[] y = Batches.select(train.labels, use);
        Sequential net = MLP.of(SpeechFeatures.INPUT_SIZE, hidden, hidden, PhoneStates.count()).seed(seed + 100).build();
        SGD opt = new SGD(net.namedParameters(), 0.02).momentum(0.9);
        long t0 = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            double loss = 0;
            int batches = 0;
            for (int[] b : Batches.shuffled(n, 128, seed * 7919 + e)) {
                int[] frames = new int[b.length];
                for (int i = 0; i < b.length; i++) frames[i] = use[b[i]];
                Tensor x = Tensor.of(train.batch(frames), b.length, SpeechFeatures.INPUT_SIZE);
                opt.zeroGrad();
                Tensor l = Losses.crossEntropy(net.forward(x), Batches.select(y, b));
                l.backward();
                opt.step();
                loss += l.item();
                batches++;
            }
            out.printf(Locale.ROOT, "probe epoch %d: train loss %.3f (%.0f s)%n", e + 1, loss / batches, (System.nanoTime() - t0) / 1e9);
        }
        int[] counts = train.classCounts();
        int majority = 0;
        for (int c = 1; c < counts.length; c++) if (counts[c] > counts[majority]) majority = c;
        out.printf(Locale.ROOT, "%-14s %9s %12s %14s   %s%n", "split", "frames", "frame acc", "majority class", "per pseudo-speaker");
        int speakers = PseudoSpeaker.ALL.size();
        for (SpeechCorpus.Split s : SpeechCorpus.Split.values()) {
            SpeechFeatures.FrameSet set = f.get(s);
            int right = 0, maj = 0;
            int[] spkRight = new int[speakers], spkFrames = new int[speakers];
            for (int start = 0; start < set.frames(); start += 1000) {
                int len = Math.min(1000, set.frames() - start);
                int[] frames = new int[len];
                for (int i = 0; i < len; i++) frames[i] = start + i;
                float[] logits = net.predict(Tensor.of(set.batch(frames), len, SpeechFeatures.INPUT_SIZE)).toArray();
                int k = PhoneStates.count();
                for (int i = 0; i < len; i++) {
                    int best = 0;
                    for (int c = 1; c < k; c++) if (logits[i * k + c] > logits[i * k + best]) best = c;
                    int spk = set.uttSpeaker[set.utteranceOf(start + i)];
                    spkFrames[spk]++;
                    if (best == set.labels[start + i]) { right++; spkRight[spk]++; }
                }
            }
            for (int l : set.labels) if (l == majority) maj++;
            StringBuilder per = new StringBuilder();
            for (int p = 0; p < speakers; p++) {
                if (spkFrames[p] > 0) per.append(String.format(Locale.ROOT, " %s %.1f%%", PseudoSpeaker.ALL.get(p).id(), 100.0 * spkRight[p] / spkFrames[p]));
            }
            out.printf(Locale.ROOT, "%-14s %9d %11.1f%% %13.1f%%  %s%n", s.label, set.frames(), 100.0 * right / set.frames(),
                    100.0 * maj / set.frames(), per);
        }
    }
}
