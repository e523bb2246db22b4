package distill4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void anIoErrorIsShownByItsMessageAndAnythingElseWithItsClass() {
        assertEquals("MNIST data directory /x does not exist", Main.describe(new IOException("MNIST data directory /x does not exist")));
        assertEquals("java.nio.file.NoSuchFileException: /x/y", Main.describe(new NoSuchFileException("/x/y")));
        assertEquals("java.io.IOException", Main.describe(new IOException()));
        assertEquals("java.lang.IllegalStateException: loss is NaN", Main.describe(new IllegalStateException("loss is NaN")));
    }
}
