package distill4j.examples.specialists;

import static distill4j.examples.cli.Args.floatValue;
import static distill4j.examples.cli.Args.longValue;
import static distill4j.examples.cli.Args.value;

import distill4j.engine.distill.ConfusableClasses;
import distill4j.examples.cli.Progress;
import distill4j.examples.speech.SpeechCommand;
import distill4j.examples.speech.SpeechPreset;
import distill4j.examples.train.OutDir;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Deque;

/** {@code ./distill4j specialists [options]}: parses the options and runs {@link SpecialistExperiments}. */
public final class SpecialistsMain {
    public static final String USAGE = """
            usage: distill4j specialists [options]   specialist models for confusable classes, Hinton et al. (2015), §5:
                                                    a generalist (the speech baseline), clusters of the classes it
                                                    confuses, one specialist per cluster with a dustbin class, and
                                                    eq. 5 to combine them, on the synthetic flite speech corpus

              --quick               the quick corpus and small models (the whole pipeline in a few minutes)
              --out DIR             checkpoints, cached logits and the report (default runs/specialists or
                                    runs/specialists-quick); checked before anything is trained
              --seed N              seed of every model and of the clustering (default 1)
              --corpus DIR, --corpus-seed N, --install   the speech corpus, as for `distill4j speech`
              --threads N           worker threads of the SIMD backend (sets -Ddistill4j.threads)
              --specialists K       number of clusters = specialists (default 12, quick 6)
              --overlap R           specialists share classes: with balanced clusters each grows to R × ⌈124/K⌉ classes
                                    (the classes nearest its centroid join it); with kmeans each class joins its R
                                    nearest clusters (default 2; 1 = disjoint clusters)
              --points P            cluster the columns of the generalist's prediction covariance ("covariance", the
                                    paper's) or of its correlation matrix ("correlation", the default: scale-free)
              --clustering C        "balanced" (default: K-means with at most ⌈124/K⌉ classes a cluster, so that the
                                    specialists are of one size, as the paper's 300 classes each) or "kmeans" (plain,
                                    which here puts most classes in one or two clusters)
              --top N               the generalist's top-N classes choose the active specialists (default 1, the paper's)
              --specialist-epochs E epochs of each specialist from the generalist's weights (default 6)
              --specialist-lr X     its initial learning rate, decaying 10× over its epochs (default 0.05, the
                                    generalist's; chosen on dev over 3 epochs at 0.01, see RESULTS.md)
              --no-soft-targets     skip the second set of specialists that also fit the generalist's soft targets
                                    (§6.1's proposal, trained by default)
              --temperature T, --alpha A   that set's temperature and soft-term weight (default 2 and 0.5)
              --epochs N, --hidden N, --layers N, --lr X   the generalist's recipe (default: the speech baseline's)

            An interrupted run resumes from its last completed epoch when run again with the same options and --out.
            """;

    /** What {@code --spark} says here: Spark runs are the spark module's, which this tool does not need. */
    public static final String SPARK_HINT = """
            --spark runs on Apache Spark through the spark module (this tool does not carry Spark). Run:
              spark/distill4j-spark specialists --spark local[2] [options]     (builds the module; ./distill4j does this when it exists)
            or, on a cluster, build it (mvn -B -DskipTests package -pl spark -am) and submit the one jar:
              spark-submit --master spark://HOST:7077 --class distill4j.spark.SparkMain spark/target/distill4j-spark-all.jar specialists [options]
            See spark/README.md.""";

    private SpecialistsMain() {}

    public static int run(Deque<String> a, PrintStream out, boolean terminal) throws Exception {
        SpecialistExperiments.Settings settings = settings(a, out);
        if (settings == null) return 0;
        OutDir.prepare(settings.out(), out);
        new SpecialistExperiments(settings, out, new Progress(out, terminal)).run();
        return 0;
    }

    /**
     * The settings of {@code specialists [options]} (also parsed by the Spark jobs, which send the options to
     * their tasks); null after printing the usage for {@code --help}. Does not touch {@code --out}.
     */
    public static SpecialistExperiments.Settings settings(Deque<String> a, PrintStream out) {
        boolean quick = a.remove("--quick");
        SpeechPreset p = quick ? SpeechPreset.quick() : SpeechPreset.full();
        Path outDir = null, corpus = null;
        long seed = 1, corpusSeed = SpeechCommand.DEFAULT_SEED;
        boolean install = false, soft = true, balanced = true;
        int stopAfter = -1, k = quick ? 6 : 12, overlap = 2, top = 1, epochs = 6;
        float lr = 0.05f, temperature = 2f, alpha = 0.5f;
        ConfusableClasses.Points points = ConfusableClasses.Points.CORRELATION;
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
                case "--specialists" -> k = (int) longValue(a, opt);
                case "--overlap" -> overlap = (int) longValue(a, opt);
                case "--points" -> {
                    String v = value(a, opt);
                    try {
                        points = ConfusableClasses.Points.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--points needs covariance or correlation, got '" + v + "'");
                    }
                }
                case "--clustering" -> {
                    String v = value(a, opt);
                    if (!v.equals("balanced") && !v.equals("kmeans")) {
                        throw new IllegalArgumentException("--clustering needs balanced or kmeans, got '" + v + "'");
                    }
                    balanced = v.equals("balanced");
                }
                case "--top" -> top = (int) longValue(a, opt);
                case "--specialist-epochs" -> epochs = (int) longValue(a, opt);
                case "--specialist-lr" -> lr = floatValue(a, opt);
                case "--no-soft-targets" -> soft = false;
                case "--temperature" -> temperature = floatValue(a, opt);
                case "--alpha" -> alpha = floatValue(a, opt);
                case "--epochs" -> p = p.withEpochs((int) longValue(a, opt));
                case "--hidden" -> p = p.withHidden((int) longValue(a, opt));
                case "--layers" -> p = p.withLayers((int) longValue(a, opt));
                case "--lr" -> p = p.withLr(floatValue(a, opt));
                case "--spark" -> throw new IllegalArgumentException(SPARK_HINT); // the spark module's launcher runs it
                case "--stop-after-epochs" -> stopAfter = (int) longValue(a, opt); // test hook: simulates a kill
                case "--help", "-h" -> { out.print(USAGE); return null; }
                default -> throw new IllegalArgumentException("unknown option '" + opt + "' for specialists");
            }
        }
        if (soft) distill4j.examples.train.Targets.distill(temperature, alpha); // T and α checked before anything is trained
        if (outDir == null) outDir = Path.of(quick ? "runs/specialists-quick" : "runs/specialists");
        return new SpecialistExperiments.Settings(p, quick, outDir, corpus, corpusSeed, seed, install, stopAfter, k, overlap, top,
                epochs, lr, soft, temperature, alpha, points, balanced);
    }
}
