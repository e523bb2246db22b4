package distill4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.io.Json;
import distill4j.engine.io.RawTensor;
import distill4j.engine.io.Safetensors;
import distill4j.engine.io.SafetensorsFile;
import distill4j.examples.Main;
import distill4j.examples.speech.SpeechTools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs in local mode against the single-machine tool, on the quick speech corpus built here by
 * flite (skipped, naming the install command, when flite is missing and the test is not root) with tiny
 * models: every checkpoint's tensors (each tensor's bytes), every logit cache file (the whole file) and
 * the figures of the results must be the same bits as the single-machine run with the same seeds.
 */
class SparkJobsTest {
    static final long SEED = 5;
    @TempDir static Path shared;
    static Path reference;

    @BeforeAll
    static void corpusAndSingleMachineReference() throws Exception {
        List<String> missing = SpeechTools.missingAfterInstallIfAllowed(System.out);
        Assumptions.assumeTrue(missing.isEmpty(), "spark tests skipped: missing " + missing
                + " and not root to install them; install with: sudo " + SpeechTools.APT_COMMAND);
        reference = shared.resolve("single");
        long t0 = System.nanoTime();
        run(speechArgs(reference));
        System.out.printf("single-machine speech run (corpus build + experiments): %.1f s, seed %d%n", (System.nanoTime() - t0) / 1e9, SEED);
    }

    /** The tiny speech run of the examples' SpeechPipelineTest, without the leading "speech". */
    static String[] speechArgs(Path out) {
        return new String[] {"speech", "--quick", "--corpus", shared.resolve("corpus").toString(), "--out", out.toString(),
            "--seed", Long.toString(SEED), "--members", "2", "--epochs", "2", "--subset-epochs", "6", "--hidden", "48",
            "--layers", "1", "--temperatures", "1,5"};
    }

    static String[] tail(String[] a) { return Arrays.copyOfRange(a, 1, a.length); }

    static String run(String[] args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        return text;
    }

    static String runSpark(String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = SparkMain.run(args, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        return text;
    }

    @Test
    void speechOnSparkIsBitIdenticalToOneMachine() throws Exception {
        Path out = shared.resolve("spark");
        List<String> args = new ArrayList<>(List.of("speech", "--spark", "local[2]"));
        args.addAll(List.of(tail(speechArgs(out))));
        long t0 = System.nanoTime();
        String log = runSpark(args.toArray(new String[0]));
        System.out.printf("speech on Spark local[2]: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertTrue(log.contains("members: 2 trained on Spark"), log);
        assertTrue(log.contains("soft targets: 2 teachers × 4 sets"), log);
        assertTrue(log.contains("member-1: finished earlier"), "the driver loads the members the tasks trained:\n" + log);

        assertSameTensors(reference.resolve("models"), out.resolve("models"));
        assertSameFiles(reference.resolve("cache"), out.resolve("cache"));
        try (Stream<Path> s = Files.list(out.resolve("cache"))) {
            assertEquals(2 * 4, s.filter(p -> p.getFileName().toString().startsWith("logits-")).count());
        }
        assertTrue(!Files.exists(out.resolve("cache").resolve("parts")) || isEmpty(out.resolve("cache").resolve("parts")),
                "part files are removed once joined");
        for (String r : new String[] {"table1", "section6"}) {
            assertEquals(figures(reference.resolve("results").resolve(r + ".json")), figures(out.resolve("results").resolve(r + ".json")), r);
        }
        Map<String, Object> report = map(Json.parse(Files.readString(out.resolve("report.json"))));
        assertTrue(report.containsKey("table1") && report.containsKey("section6"), report.keySet().toString());
    }

    @Test
    void failedTasksAreRetriedAndResumeToTheSameBytes() throws Exception {
        Path out = shared.resolve("fault");
        Files.createDirectories(out);
        String[] args = tail(speechArgs(out));
        // local[2,2]: two task threads, two attempts per task (plain local[N] never retries)
        SparkConf conf = new SparkConf().setMaster("local[2,2]").setAppName("distill4j fault test");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(buf, true, StandardCharsets.UTF_8);
            // the first attempt of each task stops after epoch 1 of 2 (as a lost executor); Spark retries it
            List<String> done = EnsembleMembersJob.run(sc, args, 1, log);
            assertEquals(2, done.size(), done.toString());
            for (String d : done) assertTrue(d.endsWith("(attempt 1)"), "each member finished by its retry: " + done);
            assertSameTensors(reference.resolve("models").resolve("member-1"), out.resolve("models").resolve("member-1"));
            assertSameTensors(reference.resolve("models").resolve("member-2"), out.resolve("models").resolve("member-2"));

            // run again: the finished members are loaded, not retrained (their files untouched)
            Map<Path, byte[]> before = files(out.resolve("models"));
            done = EnsembleMembersJob.run(sc, args, 0, log);
            for (String d : done) assertTrue(d.endsWith("(attempt 0)"), done.toString());
            Map<Path, byte[]> after = files(out.resolve("models"));
            assertEquals(before.keySet(), after.keySet());
            for (Path p : before.keySet()) assertArrayEquals(before.get(p), after.get(p), p + " was rewritten");

            // soft targets of the two members on the training and dev frames, in partitions of 1,500 rows (rounded up
            // to whole chunks of 1,000): the cache files the single-machine run wrote, byte for byte; run again, nothing to do
            var e = SpeechSplit.experiments(args, log);
            List<distill4j.examples.train.Net> members = List.of(e.trainMember(0), e.trainMember(1));
            List<TransferSet> sets = List.of(new SpeechSplit(args, "train"), new SpeechSplit(args, "dev"));
            int tasks = SoftTargetsJob.run(sc, members, List.of("member-1", "member-2"), sets, e.cacheDir(), 1500, log);
            assertEquals(10 + 2, tasks, "18,085 train and 3,466 dev frames in parts of 2,000 rows");
            Map<Path, byte[]> ref = files(reference.resolve("cache")), got = files(out.resolve("cache"));
            assertEquals(4, got.size(), got.keySet().toString());
            for (Path p : got.keySet()) assertArrayEquals(ref.get(p), got.get(p), p + " differs from the single-machine cache file");
            assertEquals(0, SoftTargetsJob.run(sc, members, List.of("member-1", "member-2"), sets, e.cacheDir(), 1500, log));
        }
    }

    @Test
    void executorsInOtherJvmsGiveTheSameBytes() throws Exception {
        // local-cluster[2,1,512]: a standalone master and two workers in this JVM, each executor a JVM of its own
        // started as on a cluster (SparkMain.conf's executor options), so tasks, teachers and results really
        // travel between JVMs; SPARK_HOME (set by the surefire configuration) needs only to exist
        String home = System.getenv("SPARK_HOME");
        Assumptions.assumeTrue(home != null, "SPARK_HOME not set: the local-cluster test runs under Maven");
        Files.createDirectories(Path.of(home, "jars"));
        if (!Files.exists(Path.of(home, "RELEASE"))) Files.writeString(Path.of(home, "RELEASE"), "distill4j test\n");
        Path out = shared.resolve("cluster");
        String[] args = tail(speechArgs(out));
        SparkConf conf = SparkMain.conf("distill4j local-cluster test", "local-cluster[2,1,512]")
                .set("spark.executor.extraClassPath", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")))
                .set("spark.executor.memory", "512m")
                .set("spark.executor.extraJavaOptions", conf0().get("spark.executor.extraJavaOptions") + " -Xss4m");
        long t0 = System.nanoTime();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(buf, true, StandardCharsets.UTF_8);
            List<String> done = EnsembleMembersJob.run(sc, args, 0, log);
            assertEquals(2, done.size(), done.toString());
            assertSameTensors(reference.resolve("models").resolve("member-1"), out.resolve("models").resolve("member-1"));
            assertSameTensors(reference.resolve("models").resolve("member-2"), out.resolve("models").resolve("member-2"));
            var e = SpeechSplit.experiments(args, log);
            List<distill4j.examples.train.Net> members = List.of(e.trainMember(0), e.trainMember(1));
            SoftTargetsJob.run(sc, members, List.of("member-1", "member-2"), List.of(new SpeechSplit(args, "dev")), e.cacheDir(), 2000, log);
            Map<Path, byte[]> ref = files(reference.resolve("cache")), got = files(out.resolve("cache"));
            assertEquals(2, got.size(), got.keySet().toString());
            for (Path p : got.keySet()) assertArrayEquals(ref.get(p), got.get(p), p + " differs from the single-machine cache file");
        }
        System.out.printf("members and soft targets on local-cluster[2,1,512]: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static SparkConf conf0() { return SparkMain.conf("x", "local[1]"); }

    @Test
    void outOnAHadoopFileSystemGivesTheSameBytes() throws Exception {
        // OUT as a file:// URI goes through Hadoop's FileSystem API, as hdfs:// or s3a:// would
        Path remote = shared.resolve("remote");
        String uri = remote.toUri().toString();
        String[] args = tail(speechArgs(remote));
        args = SharedDir.withOut(args, uri);
        System.setProperty("distill4j.stage", shared.resolve("stage").toString());
        SparkConf conf = new SparkConf().setMaster("local[2,2]").setAppName("distill4j shared OUT test");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream log = new PrintStream(buf, true, StandardCharsets.UTF_8);
            // each first attempt stops after epoch 1; its retry, in a fresh local directory, copies the checkpoint in and resumes
            List<String> done = EnsembleMembersJob.run(sc, args, new SharedDir(uri), 1, log);
            for (String d : done) assertTrue(d.endsWith("(attempt 1, 1 files copied in)"), done.toString());
            assertSameTensors(reference.resolve("models").resolve("member-1"), remote.resolve("models").resolve("member-1"));
            assertSameTensors(reference.resolve("models").resolve("member-2"), remote.resolve("models").resolve("member-2"));

            // the whole run: members loaded from OUT, logits, the rest on the driver, everything copied out to OUT
            SparkMain.speech(sc, args, log);
            String text = buf.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("working in " + shared.resolve("stage")), text);
            assertSameTensors(reference.resolve("models"), remote.resolve("models"));
            assertSameFiles(reference.resolve("cache"), remote.resolve("cache"));
            assertTrue(!Files.exists(remote.resolve("cache").resolve("parts")), "part files removed from OUT");
            for (String r : new String[] {"table1", "section6"}) {
                assertEquals(figures(reference.resolve("results").resolve(r + ".json")), figures(remote.resolve("results").resolve(r + ".json")), r);
            }
            assertTrue(Files.exists(remote.resolve("report.md")));
        } finally {
            System.clearProperty("distill4j.stage");
        }
    }

    @Test
    void specialistsOnSparkAreBitIdenticalToOneMachine() throws Exception {
        Path single = shared.resolve("specialists-single"), spark = shared.resolve("specialists-spark");
        long t0 = System.nanoTime();
        run(specialistArgs(single));
        double t1 = (System.nanoTime() - t0) / 1e9;
        List<String> args = new ArrayList<>(List.of("specialists", "--spark", "local[2]"));
        args.addAll(List.of(tail(specialistArgs(spark))));
        t0 = System.nanoTime();
        String log = runSpark(args.toArray(new String[0]));
        System.out.printf("specialists: one machine %.1f s, Spark local[2] %.1f s%n", t1, (System.nanoTime() - t0) / 1e9);
        assertTrue(log.contains("specialists: 6 trained on Spark"), log);
        assertTrue(log.contains("specialist-1: finished earlier"), "the driver loads the specialists the tasks trained:\n" + log);
        assertSameTensors(single.resolve("models"), spark.resolve("models"));
        assertSameFiles(single.resolve("cache"), spark.resolve("cache"));
        assertEquals(figures(single.resolve("results").resolve("specialists.json")),
                figures(spark.resolve("results").resolve("specialists.json")));
    }

    static String[] specialistArgs(Path out) {
        return new String[] {"specialists", "--quick", "--corpus", shared.resolve("corpus").toString(), "--out", out.toString(),
            "--seed", Long.toString(SEED), "--specialists", "3", "--overlap", "2", "--specialist-epochs", "2", "--epochs", "2",
            "--hidden", "48", "--layers", "1"};
    }

    // ------------------------------------------------------------------------------------------ comparisons

    /** The same safetensors files (relative paths) under both directories, each tensor the same bytes (metadata may differ: timings). */
    static void assertSameTensors(Path expectedDir, Path actualDir) throws IOException {
        Map<Path, byte[]> e = files(expectedDir), a = files(actualDir);
        assertEquals(e.keySet(), a.keySet(), "checkpoint files");
        assertTrue(!e.isEmpty(), "no checkpoints under " + expectedDir);
        for (Path rel : e.keySet()) {
            SafetensorsFile fe = Safetensors.read(expectedDir.resolve(rel)), fa = Safetensors.read(actualDir.resolve(rel));
            assertEquals(fe.tensors().size(), fa.tensors().size(), rel.toString());
            for (RawTensor t : fe.tensors()) {
                RawTensor u = fa.tensor(t.name());
                assertArrayEquals(t.shape(), u.shape(), rel + " " + t.name());
                assertArrayEquals(t.bytes(), u.bytes(), rel + ": tensor " + t.name() + " differs");
            }
        }
    }

    /** The same files with the same bytes. */
    static void assertSameFiles(Path expectedDir, Path actualDir) throws IOException {
        Map<Path, byte[]> e = files(expectedDir), a = files(actualDir);
        assertEquals(e.keySet(), a.keySet());
        for (Path rel : e.keySet()) assertArrayEquals(e.get(rel), a.get(rel), rel + " differs");
    }

    static Map<Path, byte[]> files(Path dir) throws IOException {
        Map<Path, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".safetensors")).toList()) {
                m.put(dir.relativize(p), Files.readAllBytes(p));
            }
        }
        return m;
    }

    /** A results file without its timings (train_seconds): the figures. */
    static Object figures(Path json) throws Exception {
        return strip(Json.parse(Files.readString(json)));
    }

    static Object strip(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> r = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) if (!String.valueOf(e.getKey()).endsWith("seconds")) r.put(String.valueOf(e.getKey()), strip(e.getValue()));
            return r;
        }
        if (o instanceof List<?> l) return l.stream().map(SparkJobsTest::strip).toList();
        return o;
    }

    static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) { return (Map<String, Object>) o; }
}
