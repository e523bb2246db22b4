package distill4j.spark;

import distill4j.examples.cli.Progress;
import distill4j.examples.specialists.SpecialistExperiments;
import distill4j.examples.specialists.SpecialistsMain;
import distill4j.examples.speech.SpeechExperiments;
import distill4j.examples.speech.SpeechMain;
import distill4j.examples.train.Net;
import distill4j.examples.train.OutDir;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code distill4j-spark speech|specialists --spark MASTER [options]}: the speech experiments and the
 * specialists with their embarrassingly parallel parts on Apache Spark, everything else as on one
 * machine, with the same options, files and results:
 * <ul>
 *   <li>{@code speech}: the ensemble members ({@link EnsembleMembersJob}, one task per member), then their
 *       logits on every split ({@link SoftTargetsJob}, one task per partition), then the rest on the driver
 *       (the ensemble's soft targets, the distilled models, §6 and the report), which finds every member and
 *       every cache file in place;</li>
 *   <li>{@code specialists}: the generalist and clusters on the driver, the specialists on Spark
 *       ({@link SpecialistsJob}, one task each), then combination and report on the driver.</li>
 * </ul>
 * Under {@code spark-submit} leave out {@code --spark}: the master comes from spark-submit's
 * {@code --master}. OUT ({@code --out}) and the corpus must be a directory every executor sees.
 */
public final class SparkMain {
    public static final String USAGE = """
            usage: distill4j-spark speech --spark MASTER [speech options]        (./distill4j speech --help for them)
                   distill4j-spark specialists --spark MASTER [specialists options]
              --spark MASTER   local[N], local[N,F] (F attempts per task), spark://host:7077, yarn, k8s://...;
                               left out under spark-submit, which gives --master
              --out DIR, --corpus DIR must be on storage every executor sees (local mode: any directory)
            """;

    private SparkMain() {}

    public static void main(String[] args) {
        int rc;
        try {
            rc = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("distill4j-spark: " + e.getMessage());
            rc = 2;
        } catch (Exception e) {
            System.err.println("distill4j-spark: " + e);
            e.printStackTrace();
            rc = 1;
        }
        System.exit(rc);
    }

    /** Runs a command line; 0 ok. */
    public static int run(String[] args, PrintStream out) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        if (a.isEmpty() || a.get(0).equals("--help") || a.get(0).equals("-h")) {
            out.print(USAGE);
            return a.isEmpty() ? 2 : 0;
        }
        String command = a.remove(0);
        String master = null;
        int i = a.indexOf("--spark");
        if (i >= 0) {
            if (i + 1 >= a.size()) throw new IllegalArgumentException("--spark needs a master URL such as local[2] or spark://host:7077");
            master = a.get(i + 1);
            a.remove(i + 1);
            a.remove(i);
        }
        String[] rest = a.toArray(new String[0]);
        if (a.contains("--help") || a.contains("-h")) {
            out.print(USAGE);
            return command.equals("speech") ? SpeechMain.run(new ArrayDeque<>(a), out, false)
                    : SpecialistsMain.run(new ArrayDeque<>(a), out, false);
        }
        // options checked before Spark starts
        String outArg = SharedDir.out(rest);
        boolean shared = outArg != null && SharedDir.isUri(outArg);
        switch (command) {
            case "speech" -> {
                SpeechExperiments.Settings s = speechSettings(rest);
                if (!shared) OutDir.prepare(s.out(), out);
            }
            case "specialists" -> {
                if (shared) throw new IllegalArgumentException("specialists: --out " + outArg + ": a URI is taken by speech only so far;"
                        + " give a directory every executor sees");
                OutDir.prepare(specialistSettings(rest).out(), out);
            }
            default -> throw new IllegalArgumentException("unknown command '" + command + "' (speech or specialists)\n" + USAGE);
        }
        SparkConf conf = conf("distill4j " + command, master);
        if (!conf.contains("spark.master")) throw new IllegalArgumentException("no Spark master: pass --spark MASTER (e.g. local[2]) or use spark-submit --master");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            if (command.equals("speech")) speech(sc, rest, out);
            else specialists(sc, rest, out);
        }
        return 0;
    }

    /**
     * The Spark configuration of every run: the master (null: spark-submit's), and for a cluster's executors the
     * one jar (the launcher names it in {@code distill4j.spark.jar}; spark-submit ships its own) and the Vector
     * API module, without which the engine falls back to its scalar backend and the bits differ from a SIMD driver.
     */
    public static SparkConf conf(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) conf.setMaster(master);
        String jar = System.getProperty("distill4j.spark.jar");
        boolean local = conf.get("spark.master", "").matches("local(\\[.*\\])?");
        if (jar != null && Files.exists(Path.of(jar)) && !local) conf.setJars(new String[] {jar});
        String opts = conf.get("spark.executor.extraJavaOptions", "");
        if (!opts.contains("jdk.incubator.vector")) conf.set("spark.executor.extraJavaOptions", (opts + " --add-modules jdk.incubator.vector").trim());
        return conf;
    }

    /**
     * {@code speech ARGS} with the members and their logits on Spark, the rest on the driver. With {@code --out}
     * a URI of a Hadoop-compatible file system (hdfs://, s3a://, file://), the driver works in a local directory
     * (a new temporary one, or {@code $DISTILL4J_STAGE} / {@code -Ddistill4j.stage}): it copies in what OUT already holds (a previous run's
     * models and caches), the tasks copy their checkpoints and part files out to OUT as they write them, and at
     * the end the driver copies everything out.
     */
    public static void speech(JavaSparkContext sc, String[] speechArgs, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        String outArg = SharedDir.out(speechArgs);
        SharedDir shared = outArg != null && SharedDir.isUri(outArg) ? new SharedDir(outArg) : null;
        Path stage = null;
        String[] localArgs = speechArgs;
        if (shared != null) {
            String dir = System.getProperty("distill4j.stage", System.getenv("DISTILL4J_STAGE"));
            stage = dir != null ? Files.createDirectories(Path.of(dir)) : Files.createTempDirectory("distill4j-stage-");
            int n = shared.pull("", stage);
            out.println("OUT " + shared.uri() + " (a shared file system): working in " + stage + ", " + n + " files copied in");
            localArgs = SharedDir.withOut(speechArgs, stage.toString());
            OutDir.prepare(stage, out);
        }
        SpeechExperiments e = new SpeechExperiments(speechSettings(localArgs), out, new Progress(out, false));
        e.open(); // the corpus is built (once) and its features cached before any task opens them
        EnsembleMembersJob.run(sc, speechArgs, shared, 0, out);
        if (shared != null) shared.pull("models", stage);
        List<Net> members = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int m = 0; m < e.settings().preset().members(); m++) {
            members.add(e.trainMember(m)); // finished: loaded from its checkpoint
            names.add("member-" + (m + 1));
        }
        List<TransferSet> splits = new ArrayList<>();
        for (String split : List.of("train", "dev", "test-speakers", "test-voice")) splits.add(new SpeechSplit(speechArgs, split));
        SoftTargetsJob.run(sc, members, names, splits, e.cacheDir(), shared, 0, out);
        e.run();
        if (shared != null) {
            int n = shared.pushChanged(stage, "", new java.util.HashMap<>());
            out.println("copied " + n + " files to " + shared.uri() + " (the local copy stays in " + stage + ")");
        }
        out.printf(Locale.ROOT, "speech on Spark (%s): %.1f s wall%n", sc.master(), (System.nanoTime() - t0) / 1e9);
    }

    /** {@code specialists ARGS} with the specialists on Spark, the rest on the driver. */
    public static void specialists(JavaSparkContext sc, String[] specialistArgs, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        SpecialistsJob.run(sc, specialistArgs, out);
        new SpecialistExperiments(specialistSettings(specialistArgs), out, new Progress(out, false)).run();
        out.printf(Locale.ROOT, "specialists on Spark (%s): %.1f s wall%n", sc.master(), (System.nanoTime() - t0) / 1e9);
    }

    /** The settings of {@code speech ARGS}, as the single-machine tool parses them. */
    static SpeechExperiments.Settings speechSettings(String[] args) {
        SpeechExperiments.Settings s = SpeechMain.settings(new ArrayDeque<>(Arrays.asList(args)), System.out);
        if (s == null) throw new IllegalArgumentException("speech --help is not a run");
        return s;
    }

    /** The settings of {@code specialists ARGS}, as the single-machine tool parses them. */
    static SpecialistExperiments.Settings specialistSettings(String[] args) {
        SpecialistExperiments.Settings s = SpecialistsMain.settings(new ArrayDeque<>(Arrays.asList(args)), System.out);
        if (s == null) throw new IllegalArgumentException("specialists --help is not a run");
        return s;
    }
}
