package distill4j.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.examples.Main;
import distill4j.examples.data.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished model whose checkpoint was altered after it was written (one flipped byte in its tensor
 * data) is refused with an error naming the file, instead of being reported or resumed from: the run
 * stops, and neither the checkpoint nor the report already written is touched.
 */
class AlteredCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void aFlippedByteInAFinishedModelStopsTheRunNamingTheFile() throws Exception {
        Path data = dir.resolve("idx");
        Synthetic.write(data, 200, 60, 12, 5L, false);
        Path out = dir.resolve("out");
        String[] args = {"mnist", "--quick", "--data", data.toString(), "--out", out.toString(), "--only", "baseline",
                "--student-epochs", "1", "--baseline-epochs", "1"};
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(0, Main.run(args, sink, false));

        Path ckpt;
        try (Stream<Path> s = Files.walk(out.resolve("models").resolve("baseline"))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().equals("checkpoint.safetensors")).toList();
            assertEquals(1, found.size(), found.toString());
            ckpt = found.get(0);
        }
        byte[] bytes = Files.readAllBytes(ckpt);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int at = (int) (8 + headerLength + (bytes.length - 8 - headerLength) / 2); // inside the tensor data
        bytes[at] ^= 0x10;
        Files.write(ckpt, bytes);
        byte[] report = Files.readAllBytes(out.resolve("report.md"));

        IOException e = assertThrows(IOException.class, () -> Main.run(args, sink, false));
        assertTrue(e.getMessage().contains(ckpt.toString()) && e.getMessage().contains("checksum"), e.getMessage());
        assertEquals(e.getMessage(), Main.describe(e), "shown as its message, no Java exception name");
        assertArrayEquals(bytes, Files.readAllBytes(ckpt), "the altered checkpoint is left as it is");
        assertArrayEquals(report, Files.readAllBytes(out.resolve("report.md")), "the report is not rewritten");
    }
}
