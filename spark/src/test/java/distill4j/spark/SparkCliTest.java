package distill4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.examples.Main;
import distill4j.examples.data.Examples;
import distill4j.examples.data.Jitter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command lines without a Spark context (no flite needed), and the partition view {@link Rows}. */
class SparkCliTest {
    @TempDir Path tmp;

    @Test
    void theToolWithoutSparkSaysHowToRunIt() {
        for (String command : new String[] {"speech", "specialists"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Main.run(new String[] {command, "--quick", "--spark", "local[2]"}, System.out, false));
            assertTrue(e.getMessage().contains("spark/distill4j-spark " + command + " --spark local[2]")
                    && e.getMessage().contains("spark-submit") && e.getMessage().contains("distill4j-spark-all.jar"), e.getMessage());
        }
    }

    @Test
    void badCommandLinesFailBeforeSparkStarts() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(2, SparkMain.run(new String[0], new PrintStream(buf, true, StandardCharsets.UTF_8)));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("--spark MASTER"));
        String out = tmp.resolve("out").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkMain.run(new String[] {"mnist", "--spark", "local[2]"}, System.out));
        assertTrue(e.getMessage().contains("unknown command 'mnist'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparkMain.run(new String[] {"speech", "--spark"}, System.out));
        assertTrue(e.getMessage().contains("--spark needs a master"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SparkMain.run(new String[] {"speech", "--spark", "local[2]", "--members", "1", "--out", out}, System.out));
        assertTrue(e.getMessage().contains("--members 1"), e.getMessage());
        String saved = System.getProperty("spark.master");
        System.clearProperty("spark.master");
        try {
            e = assertThrows(IllegalArgumentException.class, () -> SparkMain.run(new String[] {"speech", "--quick", "--out", out}, System.out));
            assertTrue(e.getMessage().contains("no Spark master"), e.getMessage());
        } finally {
            if (saved != null) System.setProperty("spark.master", saved);
        }
    }

    /** Ten examples whose single feature is their index. */
    static final class Counting implements Examples {
        @Override public String name() { return "counting"; }
        @Override public int count() { return 10; }
        @Override public int features() { return 1; }
        @Override public int[] labels() { return new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; }
        @Override public String fingerprint() { return "0123456789abcdef0123"; }

        @Override
        public void batch(int[] order, int from, int to, float[] x, int[] y, Jitter jitter, long epoch) {
            for (int k = 0; k < to - from; k++) {
                int i = order == null ? from + k : order[from + k];
                x[k] = i;
                if (y != null) y[k] = i;
            }
        }
    }

    @Test
    void rowsAreARangeOfAnotherSet() {
        Rows r = new Rows(new Counting(), 3, 8);
        assertEquals(5, r.count());
        assertArrayEquals(new int[] {3, 4, 5, 6, 7}, r.labels());
        float[] x = new float[3];
        int[] y = new int[3];
        r.batch(null, 1, 4, x, y, null, 0);
        assertArrayEquals(new float[] {4, 5, 6}, x);
        r.batch(new int[] {4, 0, 2}, 0, 3, x, y, null, 0);
        assertArrayEquals(new int[] {7, 3, 5}, y);
        assertThrows(IndexOutOfBoundsException.class, () -> new Rows(new Counting(), 5, 11));
        assertTrue(!r.fingerprint().equals(new Rows(new Counting(), 3, 9).fingerprint()));
    }
}
