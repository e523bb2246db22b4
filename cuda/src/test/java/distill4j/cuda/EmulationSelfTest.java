package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the host emulation's self-test (src/test/native/emu_selftest.cpp, built by build-native.sh):
 * thread indexing, __syncthreads ordering, the shuffles, atomics, and deadlock reporting behave as on
 * a GPU. The kernels' own results are checked through the stand-in driver (Device*Test).
 */
class EmulationSelfTest {
    @Test
    void hostEmulationBehavesLikeCuda() throws IOException, InterruptedException {
        Path exe = Path.of(System.getProperty("distill4j.native.dir", "target/native"), "emu_selftest");
        assumeTrue(Files.isExecutable(exe), "host emulation not built (is g++ installed?): " + exe);
        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "emu_selftest did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("emu_selftest: all passed"), out);
    }
}
