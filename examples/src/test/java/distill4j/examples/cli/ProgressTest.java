package distill4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void plainModePrintsWholeLinesWithoutCarriageReturns() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(b, true, StandardCharsets.UTF_8), false);
        p.start("teacher 1/3", 100);
        for (int i = 1; i <= 100; i++) p.update(i, "loss 0.5");
        p.finish("test errors 12");
        String s = b.toString(StandardCharsets.UTF_8);
        assertFalse(s.contains("\r"), s);
        String[] lines = s.split("\n");
        assertEquals(4, lines.length, s); // 25%, 50%, 75% and the final line
        assertTrue(lines[0].contains("25/100") && lines[0].contains("loss 0.5") && lines[0].contains("<"), lines[0]);
        assertTrue(lines[3].contains("[############################]") && lines[3].contains("test errors 12"), lines[3]);
    }

    @Test
    void terminalModeRedrawsOneLine() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(b, true, StandardCharsets.UTF_8), true);
        p.start("x", 10);
        p.update(10, "loss 1");
        p.finish("done");
        String s = b.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("\r"), s);
        assertEquals(1, s.chars().filter(c -> c == '\n').count(), s);
    }

    @Test
    void timesAreFormatted() {
        assertEquals("0:05", Progress.fmtTime(5_000_000_000L));
        assertEquals("1:01:01", Progress.fmtTime(3661_000_000_000L));
    }
}
