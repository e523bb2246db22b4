package distill4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void anIoErrorIsShownByItsMessageAndAnythingElseWithItsClass() {
        assertEquals("MNIST data directory /x does not exist", Main.describe(new IOException("MNIST data directory /x does not exist")));
        assertEquals("java.io.IOException", Main.describe(new IOException()));
        assertEquals("java.lang.IllegalStateException: loss is NaN", Main.describe(new IllegalStateException("loss is NaN")));
    }

    /** The JDK's file-system errors carry only a path: the line names it, says what is wrong and what to do. */
    @Test
    void aFileSystemErrorNamesTheFileTheReasonAndTheFix() {
        String missing = Main.describe(new NoSuchFileException("/x/y"));
        assertTrue(missing.contains("/x/y") && missing.contains("no such file") && missing.contains("--out"), missing);
        assertTrue(!missing.contains("java.nio"), "no bare Java exception name: " + missing);
        String denied = Main.describe(new AccessDeniedException("/runs/a/b.tmp"));
        assertTrue(denied.contains("/runs/a/b.tmp") && denied.contains("permission denied") && denied.contains("writable"), denied);
    }
}
