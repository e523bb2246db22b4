package distill4j.spark;

import distill4j.examples.cli.Progress;
import distill4j.examples.specialists.SpecialistExperiments;
import distill4j.examples.train.Net;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The specialists of §5 ({@link SpecialistExperiments}) on Spark: the driver trains (or loads) the
 * generalist and clusters its confusable classes ({@link SpecialistExperiments#prepare}); then one task
 * per specialist (of each set: hard labels, and the soft-target variant when asked) runs
 * {@link SpecialistExperiments#trainSpecialist} — the same seeds, sample and configuration key as the
 * single-machine run, checkpoints on the shared OUT directory, so a finished specialist is loaded and a
 * retried task resumes from its last epoch.
 */
public final class SpecialistsJob {
    private SpecialistsJob() {}

    /** Trains every specialist of the run {@code specialists ARGS}, one task each; returns one line per specialist. */
    public static List<String> run(JavaSparkContext sc, String[] specialistArgs, PrintStream log) throws IOException {
        long t0 = System.nanoTime();
        SpecialistExperiments.Settings s = SparkMain.specialistSettings(specialistArgs);
        SpecialistExperiments driver = new SpecialistExperiments(s, log, new Progress(log, false));
        driver.prepare(); // the generalist and the clusters, once, before the tasks read them
        List<String> tasks = new ArrayList<>();
        for (int m = 0; m < driver.specialistCount(); m++) tasks.add("hard " + m);
        if (s.softTargets()) for (int m = 0; m < driver.specialistCount(); m++) tasks.add("soft " + m);
        String[] args = specialistArgs.clone();
        List<String> done = sc.parallelize(tasks, tasks.size()).map(t -> trainSpecialist(args, t)).collect();
        log.printf(Locale.ROOT, "specialists: %d trained on Spark (%s) in %.1f s%n", tasks.size(), sc.master(), (System.nanoTime() - t0) / 1e9);
        return done;
    }

    // one task: specialist m of a set, by the single-machine code
    private static String trainSpecialist(String[] args, String task) throws IOException {
        String[] kindM = task.split(" ");
        PrintStream out = System.out;
        SpecialistExperiments e = new SpecialistExperiments(SparkMain.specialistSettings(args), out, new Progress(out, false));
        Net net = e.trainSpecialist(kindM[0], Integer.parseInt(kindM[1]));
        return task + " " + net.checksum().substring(0, 16);
    }
}
