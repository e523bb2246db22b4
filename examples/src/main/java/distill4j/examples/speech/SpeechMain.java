package distill4j.examples.speech;

import static distill4j.examples.cli.Args.floatValue;
import static distill4j.examples.cli.Args.longValue;
import static distill4j.examples.cli.Args.value;

import distill4j.examples.cli.Progress;
import distill4j.examples.train.OutDir;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Deque;

/** {@code ./distill4j speech [options]}: parses the options and runs {@link SpeechExperiments}. */
public final class SpeechMain {
    public static final String USAGE = """
            usage: distill4j speech [options]       the speech-frame experiments of Hinton et al. (2015), §4 (Table 1:
                                                    ensemble of acoustic models distilled into one) and §6 (soft targets
                                                    as a regularizer on 3% of the data), on a synthetic flite corpus
                   distill4j speech-data [--quick] [--seed N] [--corpus DIR] [--install] [--no-features]
                                                    build/verify the corpus and print its summary

              --quick               the quick corpus (18k training frames) and small models, 3 ensemble members
                                    instead of 10: the whole pipeline in a few minutes
              --out DIR             checkpoints, cached logits and the report (default runs/speech or runs/speech-quick);
                                    checked before anything is trained
              --seed N              seed of every model's initial weights and example order (default 1)
              --corpus DIR          the corpus directory (default $DISTILL4J_CACHE/speech/<quick|full>), built on first use
              --corpus-seed N       seed the corpus is built with (default 1); a corpus built with another is refused
              --install             install missing Debian packages (flite, sox, ...) with apt-get (needs root)
              --threads N           worker threads of the SIMD backend (sets -Ddistill4j.threads)
              --members N           ensemble size (default 10, quick 3)
              --epochs N            epochs of members and distilled models (default 6, quick 6)
              --distill-epochs N    epochs of the distilled models (default: --epochs, as the members)
              --subset-epochs N     epochs of the 3% models (hard: at most, with early stopping; default 40, quick 60)
              --hidden N, --layers N  hidden units per layer and hidden layers (default 384 × 3, quick 256 × 2)
              --lr X                initial learning rate (default 0.05)
              --temperatures LIST   distillation temperatures (default 1,2,5,10, the paper's); chosen on dev

            An interrupted run resumes from its last completed epoch when run again with the same options and --out.
            """;

    /** What {@code --spark} says here: Spark runs are the spark module's, which this tool does not need. */
    public static final String SPARK_HINT = """
            --spark runs on Apache Spark through the spark module (this tool does not carry Spark). Run:
              spark/distill4j-spark speech --spark local[2] [options]     (builds the module; ./distill4j does this when it exists)
            or, on a cluster, build it (mvn -B -DskipTests package -pl spark -am) and submit the one jar:
              spark-submit --master spark://HOST:7077 --class distill4j.spark.SparkMain spark/target/distill4j-spark-all.jar speech [options]
            See spark/README.md.""";

    private SpeechMain() {}

    public static int run(Deque<String> a, PrintStream out, boolean terminal) throws Exception {
        SpeechExperiments.Settings settings = settings(a, out);
        if (settings == null) return 0;
        OutDir.prepare(settings.out(), out);
        new SpeechExperiments(settings, out, new Progress(out, terminal)).run();
        return 0;
    }

    /**
     * The settings of {@code speech [options]} (also parsed by the Spark jobs, which send the options to
     * their tasks); null after printing the usage for {@code --help}. Throws IllegalArgumentException on a
     * bad option. Does not touch {@code --out}.
     */
    public static SpeechExperiments.Settings settings(Deque<String> a, PrintStream out) {
        boolean quick = a.remove("--quick");
        SpeechPreset p = quick ? SpeechPreset.quick() : SpeechPreset.full();
        Path outDir = null, corpus = null;
        long seed = 1, corpusSeed = SpeechCommand.DEFAULT_SEED;
        boolean install = false;
        int stopAfter = -1, distillEpochs = 0;
        while (!a.isEmpty()) {
            String opt = a.pop();
            switch (opt) {
                case "--out" -> outDir = Path.of(value(a, opt));
                case "--corpus" -> corpus = Path.of(value(a, opt));
                case "--seed" -> seed = longValue(a, opt);
                case "--corpus-seed" -> corpusSeed = longValue(a, opt);
                case "--install" -> install = true;
                case "--threads" -> {
                    long t = longValue(a, opt);
                    if (t < 1) throw new IllegalArgumentException("--threads " + t + " must be ≥ 1");
                    System.setProperty("distill4j.threads", Long.toString(t));
                }
                case "--members" -> p = p.withMembers((int) longValue(a, opt));
                case "--epochs" -> p = p.withEpochs((int) longValue(a, opt));
                case "--distill-epochs" -> {
                    distillEpochs = (int) longValue(a, opt);
                    if (distillEpochs < 1) throw new IllegalArgumentException("--distill-epochs " + distillEpochs + " must be ≥ 1");
                }
                case "--subset-epochs" -> p = p.withSubsetEpochs((int) longValue(a, opt));
                case "--hidden" -> p = p.withHidden((int) longValue(a, opt));
                case "--layers" -> p = p.withLayers((int) longValue(a, opt));
                case "--lr" -> p = p.withLr(floatValue(a, opt));
                case "--temperatures" -> {
                    String v = value(a, opt);
                    String[] parts = v.split(",");
                    float[] t = new float[parts.length];
                    try {
                        for (int i = 0; i < t.length; i++) t[i] = Float.parseFloat(parts[i].trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(opt + " needs numbers such as 1,2,5,10, got '" + v + "'");
                    }
                    for (float x : t) if (!(x > 0) || !Float.isFinite(x)) throw new IllegalArgumentException(opt + ": temperature " + x + " must be > 0");
                    p = p.withTemperatures(t);
                }
                case "--spark" -> throw new IllegalArgumentException(SPARK_HINT); // the spark module's launcher runs it
                case "--stop-after-epochs" -> stopAfter = (int) longValue(a, opt); // test hook: simulates a kill
                case "--help", "-h" -> { out.print(USAGE); return null; }
                default -> throw new IllegalArgumentException("unknown option '" + opt + "' for speech");
            }
        }
        if (outDir == null) outDir = Path.of(quick ? "runs/speech-quick" : "runs/speech");
        return new SpeechExperiments.Settings(p, quick, outDir, corpus, corpusSeed, seed, install, stopAfter, distillEpochs);
    }
}
