package distill4j.spark;

import distill4j.examples.cli.Progress;
import distill4j.examples.speech.SpeechExperiments;
import distill4j.examples.train.Net;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The ensemble members of the speech experiments (Table 1, paper §4) on Spark: one task per member,
 * each running {@link SpeechExperiments#trainMember} exactly as the single-machine run does (seed
 * {@code seed + 1000·m}, the same configuration key, checkpoints in OUT/models/member-(m+1)/CONFIG/ on
 * a directory every executor sees). The trainer checkpoints every epoch, so a member that is finished
 * is loaded, not retrained, and a task that fails — an executor lost, a node rebooted — is retried by
 * Spark and resumes from its member's last completed epoch, ending with the same weights bit for bit.
 */
public final class EnsembleMembersJob {
    private EnsembleMembersJob() {}

    /**
     * Trains the members of the run {@code speech ARGS} (every member, one task each) and returns one line
     * per member (name, checksum of its weights). {@code failFirstAttemptAfterEpochs} &gt; 0 is a test hook:
     * the first attempt of every task stops after that many epochs with the trainer's
     * {@link distill4j.examples.train.Trainer.Interrupted} (as a killed executor would), so that Spark
     * retries it; it needs a master that retries, e.g. {@code local[2,2]}.
     */
    public static List<String> run(JavaSparkContext sc, String[] speechArgs, int failFirstAttemptAfterEpochs, PrintStream log) {
        return run(sc, speechArgs, null, failFirstAttemptAfterEpochs, log);
    }

    /**
     * The same with OUT on a Hadoop-compatible file system ({@code shared} not null): each task trains in a
     * local directory of its own, first copying in what its member has in {@code shared} (a previous attempt's
     * checkpoint), and copies every checkpoint out to {@code shared} as soon as it is written (and once more when
     * the task ends, also when it fails), so the next attempt, on any executor, resumes from it.
     */
    public static List<String> run(JavaSparkContext sc, String[] speechArgs, SharedDir shared, int failFirstAttemptAfterEpochs,
                                   PrintStream log) {
        long t0 = System.nanoTime();
        int members = SparkMain.speechSettings(speechArgs).preset().members();
        List<Integer> ms = new ArrayList<>();
        for (int m = 0; m < members; m++) ms.add(m);
        String[] args = speechArgs.clone();
        List<String> done = sc.parallelize(ms, members).map(m -> trainMember(args, m, shared, failFirstAttemptAfterEpochs)).collect();
        log.printf(Locale.ROOT, "members: %d trained on Spark (%s) in %.1f s%n", members, sc.master(), (System.nanoTime() - t0) / 1e9);
        for (String d : done) log.println("  " + d);
        return done;
    }

    // one task: member m, trained or resumed or loaded, by the single-machine code
    private static String trainMember(String[] args, int m, SharedDir shared, int failFirstAttemptAfterEpochs) throws Exception {
        String member = "member-" + (m + 1);
        Path scratch = shared == null ? null : SharedDir.scratch("distill4j-" + member + "-");
        try {
            if (shared != null) args = SharedDir.withOut(args, scratch.toString());
            SpeechExperiments.Settings s = SparkMain.speechSettings(args);
            TaskContext task = TaskContext.get();
            int attempt = task == null ? 0 : task.attemptNumber();
            if (failFirstAttemptAfterEpochs > 0 && attempt == 0) {
                s = new SpeechExperiments.Settings(s.preset(), s.quick(), s.out(), s.corpusDir(), s.corpusSeed(), s.seed(), s.install(),
                        failFirstAttemptAfterEpochs, s.distillEpochs());
            }
            int pulled = shared == null ? 0 : shared.pull("models/" + member, scratch);
            PrintStream out = System.out;
            Net net;
            try (AutoCloseable mirror = shared == null ? () -> { } : shared.mirror(scratch, "models/" + member, 200)) {
                net = new SpeechExperiments(s, out, new Progress(out, false)).trainMember(m);
            }
            return member + " " + net.checksum().substring(0, 16) + " (attempt " + attempt
                    + (shared == null ? "" : ", " + pulled + " files copied in") + ")";
        } finally {
            SharedDir.removeLocal(scratch);
        }
    }
}
