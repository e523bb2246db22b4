package distill4j.examples.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's demo: on its fixed seed the distilled student beats the baseline student. */
class MixtureDemoTest {
    @Test
    void distilledStudentBeatsBaselineAndTheTableIsPrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MixtureDemo.Result r = MixtureDemo.run(MixtureDemo.standard(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(r.distilled() > r.baseline(), "distilled " + r.distilled() + " should beat baseline " + r.baseline());
        assertTrue(r.teacher() > r.baseline(), "teacher " + r.teacher() + " vs baseline " + r.baseline());
        assertTrue(table.contains("| distilled student |") && table.contains("| baseline student |"), table);
    }

    @Test
    void sameSeedSameDataAndResult() {
        MixtureDemo.Config small = new MixtureDemo.Config(5, 2, 4, 0.5f, 200, 300, 32, 8, 2, 2, 3f, 0.9f, 9);
        Object[] a = MixtureDemo.sample(small, 50, 4), b = MixtureDemo.sample(small, 50, 4);
        assertArrayEquals(((distill4j.engine.Tensor) a[0]).data(), ((distill4j.engine.Tensor) b[0]).data());
        assertEquals(MixtureDemo.run(small, null), MixtureDemo.run(small, null));
    }

    @Test
    void badSizesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new MixtureDemo.Config(1, 2, 4, 0.5f, 200, 300, 32, 8, 2, 2, 3f, 0.9f, 9));
        assertTrue(e.getMessage().contains("classes 1"), e.getMessage());
    }
}
