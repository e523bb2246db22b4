package distill4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.BackendProbe;
import distill4j.kernels.Backends;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Backend selection in fresh JVMs (same JDK as the test): with the Vector API module the SIMD backend
 * is chosen; without it, scalar, with one log line naming why SIMD was skipped — never a crash; and the
 * kill switch {@code -Ddistill4j.backend=scalar} forces scalar.
 */
class SimdFallbackTest {

    private static final class Run {
        final int exit;
        final String stdout, stderr;

        Run(int exit, String stdout, String stderr) {
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    private static Run probe(String... jvmArgs) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = location(Backends.class) + File.pathSeparator + location(BackendProbe.class);
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(Arrays.asList(jvmArgs));
        cmd.add("-cp");
        cmd.add(cp);
        cmd.add(BackendProbe.class.getName());
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish: " + cmd);
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim(),
                new String(err, StandardCharsets.UTF_8).trim());
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("no class path location for " + c, e);
        }
    }

    @Test
    void withoutTheVectorModuleFallsBackToScalarWithOneLogLine() throws Exception {
        Run r = probe();
        assertEquals(0, r.exit, r.toString());
        assertEquals("chosen=scalar", r.stdout, r.toString());
        List<String> lines = new ArrayList<>();
        for (String line : r.stderr.split("\\R")) if (line.contains("distill4j backend:")) lines.add(line);
        assertEquals(1, lines.size(), "one log line naming the backend: " + r);
        assertTrue(lines.get(0).contains("simd unavailable: NoClassDefFoundError"), r.toString());
    }

    @Test
    void withTheVectorModuleChoosesSimd() throws Exception {
        Run r = probe("--add-modules", "jdk.incubator.vector");
        assertEquals(0, r.exit, r.toString());
        assertEquals("chosen=simd", r.stdout, r.toString());
    }

    @Test
    void killSwitchForcesScalar() throws Exception {
        Run r = probe("--add-modules", "jdk.incubator.vector", "-Ddistill4j.backend=scalar");
        assertEquals(0, r.exit, r.toString());
        assertEquals("chosen=scalar", r.stdout, r.toString());
        assertTrue(r.stderr.contains("forced by -Ddistill4j.backend"), r.toString());
    }
}
