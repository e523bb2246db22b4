package distill4j.bench;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bench/report.py, which cuda/gpu-check.sh and bench/run.sh use to turn JMH JSON into the Markdown
 * tables, on a committed sample (src/test/resources/report/gpu-sample.json: GPU GEMM with the cuBLAS
 * peer, dropout, train step; scores chosen so every derived figure is round). Needs python3 on PATH;
 * skipped, saying so, where there is none.
 */
class ReportPyTest {
    static final String SAMPLE = "src/test/resources/report/gpu-sample.json";

    @Test
    void theGpuSampleBecomesTheseTables() throws IOException, InterruptedException {
        assumeTrue(python3(), "python3 is not on PATH: bench/report.py not tested here");
        Process p = new ProcessBuilder("python3", "report.py", SAMPLE).directory(new File(".")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "report.py did not finish");
        assertEquals(0, p.exitValue(), out);
        String[] want = {
            "### GPU SGEMM, device-resident (GFLOP/s = 2·M·N·K / time; the CPU backend on host arrays beside it)",
            "| layout | C = op(A)·op(B), A and B as stored | M×N×K | threads | cuda GFLOP/s | simd GFLOP/s | cuBLAS GFLOP/s | cuda / cuBLAS |",
            // 2·128·1200·784 flops in 24.08448 µs ± 0.2408448 µs, 12.04224 µs, 1204.224 µs
            "| NN | (128×784)·(784×1200) | 128×1200×784 | 16 | 10000.0 ± 100.0 | 200.0 | 20000.0 | 0.50 |",
            "| n floats | pass | threads | cuda GB/s | simd GB/s |",
            // 8·2²⁰ bytes in 83.88608 µs and 838.8608 µs
            "| 1048576 | forward | 16 | 100.00 | 10.00 |",
            "| backend | step written as | threads | ms / step | samples/s |",
            "| cuda | engine | 16 | 1.28 | 100000 |",
            "| simd | engine | 16 | 12.80 | 10000 |",
        };
        for (String line : want) assertTrue(out.lines().anyMatch(line::equals), "missing line\n  " + line + "\nin\n" + out);
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
