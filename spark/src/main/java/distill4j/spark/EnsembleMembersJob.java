package distill4j.spark;

import distill4j.examples.cli.Progress;
import distill4j.examples.speech.SpeechExperiments;
import distill4j.examples.train.Net;
import java.io.PrintStream;
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
        long t0 = System.nanoTime();
        int members = SparkMain.speechSettings(speechArgs).preset().members();
        List<Integer> ms = new ArrayList<>();
        for (int m = 0; m < members; m++) ms.add(m);
        String[] args = speechArgs.clone();
        List<String> done = sc.parallelize(ms, members).map(m -> trainMember(args, m, failFirstAttemptAfterEpochs)).collect();
        log.printf(Locale.ROOT, "members: %d trained on Spark (%s) in %.1f s%n", members, sc.master(), (System.nanoTime() - t0) / 1e9);
        for (String d : done) log.println("  " + d);
        return done;
    }

    // one task: member m, trained or resumed or loaded, by the single-machine code
    private static String trainMember(String[] args, int m, int failFirstAttemptAfterEpochs) throws Exception {
        SpeechExperiments.Settings s = SparkMain.speechSettings(args);
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        if (failFirstAttemptAfterEpochs > 0 && attempt == 0) {
            s = new SpeechExperiments.Settings(s.preset(), s.quick(), s.out(), s.corpusDir(), s.corpusSeed(), s.seed(), s.install(),
                    failFirstAttemptAfterEpochs);
        }
        PrintStream out = System.out;
        Net net = new SpeechExperiments(s, out, new Progress(out, false)).trainMember(m);
        return "member-" + (m + 1) + " " + net.checksum().substring(0, 16) + " (attempt " + attempt + ")";
    }
}
