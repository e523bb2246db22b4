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
 * tables, on committed samples: src/test/resources/report/gpu-sample.json (GPU GEMM with the cuBLAS
 * peer, dropout, train step; scores chosen so every derived figure is round), and cpu-sample.json with
 * pytorch-sample.json (what bench/run.sh's default suites write, for issue #18's Targets table: each
 * score set from the ratio it should give, so a ratio computed wrongly changes a pinned line). Needs
 * python3 on PATH; skipped, saying so, where there is none.
 */
class ReportPyTest {
    static final String SAMPLE = "src/test/resources/report/gpu-sample.json";
    static final String CPU_SAMPLE = "src/test/resources/report/cpu-sample.json";
    static final String PYTORCH_SAMPLE = "src/test/resources/report/pytorch-sample.json";

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

    /*
     * cpu-sample.json: GEMM GFLOP/s openblas-skylakex 100 (1 thread) / 200 (2 threads), openblas 50 / 100
     * (the Targets must take the AVX-512 column), simd 90 / 160 but 50 on 1 thread at NT-128x10x1200.
     * The step's 8 GEMMs are 1,596,825,600 flops: bound 15.968256 ms (1 thread) = 8,016 samples/s,
     * 7.984128 ms (2) = 16,032; engine step = bound / 0.75 and bound / 0.6 (6,012 and 9,619 samples/s),
     * kernels step = engine time · 0.95 and · 0.85. gc.alloc.rate.norm engine 0.5 and 1944 B/op, kernels
     * 38,400. Softmax-CE 12 µs (1 thread) and 14 µs (2) against an exp pass of 10 µs; dropout 120 / 100 µs
     * and 70 / 50 µs against the Philox pass. Inference 20 ms and 10 ms per 1,000 rows.
     * pytorch-sample.json: train steps 50, 40, 60 ms (1 thread, median 50 → 2,560 samples/s, fastest 3,200)
     * and 30, 20, 25 ms (2); inference 40, 50, 30 ms (1) and 62.5, 50, 100 ms (2); a 1-thread SkylakeX row
     * of 10 ms calls that must not be taken (OpenBLAS's own kernels are the peer).
     */
    @Test
    void theCpuSampleBecomesTheTargetsTableFirst() throws IOException, InterruptedException {
        assumeTrue(python3(), "python3 is not on PATH: bench/report.py not tested here");
        String out = report("--pytorch", PYTORCH_SAMPLE, CPU_SAMPLE);
        String[] want = {
            "### Targets (issue #18): ratios of results of this run, distill4j backend simd",
            "| # | target | 1 thread | 2 threads | goal | met |",
            "| 1 | GEMM NT-128x1200x784: simd / OpenBLAS-AVX512 | 0.90 (90.0 / 100.0 GFLOP/s) | 0.80 (160.0 / 200.0 GFLOP/s) | ≥ 0.9 | not met (2 threads) |",
            "| 1 | GEMM NT-128x10x1200: simd / OpenBLAS-AVX512 | 0.50 (50.0 / 100.0 GFLOP/s) | 0.80 (160.0 / 200.0 GFLOP/s) | ≥ 0.9 | not met |",
            "| 1 | GEMM NN-128x1200x10: simd / OpenBLAS-AVX512 | 0.90 (90.0 / 100.0 GFLOP/s) | 0.80 (160.0 / 200.0 GFLOP/s) | ≥ 0.9 | not met (2 threads) |",
            "| 2 | engine step / kernels step (TrainStepBench api=engine / api=kernels) | 0.95 (6,012 / 6,328 samples/s) | 0.85 (9,619 / 11,317 samples/s) | ≥ 0.9 | not met (2 threads) |",
            "| 3 | engine step / bound (the step's 8 GEMMs at OpenBLAS-AVX512's measured times) | 0.75 (6,012 / bound 8,016 samples/s) | 0.60 (9,619 / bound 16,032 samples/s) | ≥ 0.7 | not met (2 threads) |",
            "| 4 | engine step / PyTorch 1.13.0a0 step (median call) | 2.35 (fastest 1.88; 6,012 / 2,560 samples/s) | 1.88 (fastest 1.50; 9,619 / 5,120 samples/s) | ≥ 2.0 | not met (2 threads) |",
            "| 5 | softmax-CE 128×10 hard: time / exp pass | 1.20 (12.00 / 10.00 µs) | 1.40 (14.00 / 10.00 µs) | ≤ 1.3 | not met (2 threads) |",
            "| 5 | softmax-CE 4096×120 soft: time / exp pass | 1.20 (12.00 / 10.00 µs) | 1.40 (14.00 / 10.00 µs) | ≤ 1.3 | not met (2 threads) |",
            "| 6 | dropout forward, n = 1048576: time / Philox mask pass | 1.20 (120.0 / 100.0 µs) | 1.40 (70.0 / 50.0 µs) | ≤ 1.3 | not met (2 threads) |",
            "| 6 | dropout backward, n = 1048576: time / Philox mask pass | 1.20 (120.0 / 100.0 µs) | 1.40 (70.0 / 50.0 µs) | ≤ 1.3 | not met (2 threads) |",
            "| 7 | inference (soft targets, batch 1000) / PyTorch 1.13.0a0 (median call) | 2.00 (fastest 1.50; 50,000 / 25,000 samples/s) | 6.25 (fastest 5.00; 100,000 / 16,000 samples/s) | ≥ 1.5 on 2 threads | met |",
            "| 8 | engine step, 2 threads / 1 thread (samples/s) | — | 1.60 (OpenBLAS-AVX512 on the step's GEMMs: 2.00) | ≥ 1.7 | not met |",
            "| 9 | allocation per step, api=engine (gc.alloc.rate.norm) | 0.5 B/op | 1944.0 B/op | < 16 B/op | not met (2 threads) |",
            "| 9 | allocation per step, api=kernels (gc.alloc.rate.norm) | 38400.0 B/op | 38400.0 B/op | < 16 B/op | not met |",
            "| simd | engine | 2 | 13.31 | 9619 | 1944.0 |",
            "| 1048576 | forward | 2 | 119.84 | 104.86 | 1.14 | 167.77 | 0.71 |",
            "| simd | engine | 2 | 10.00 | 100000 |",
        };
        for (String line : want) assertTrue(out.lines().anyMatch(line::equals), "missing line\n  " + line + "\nin\n" + out);
        assertEquals(8, out.lines().filter(l -> l.startsWith("| 1 | GEMM ")).count(), "one GEMM row per step shape\n" + out);
        assertTrue(out.indexOf("### Targets") < out.indexOf("### SGEMM"), "the Targets table comes first\n" + out);
    }

    @Test
    void withoutPeersTheTargetsSaySo() throws IOException, InterruptedException {
        assumeTrue(python3(), "python3 is not on PATH: bench/report.py not tested here");
        String out = report(CPU_SAMPLE); // no PyTorch results
        String[] want = {
            "| 4 | engine step / PyTorch step (median call) | no peer | no peer | ≥ 2.0 | no peer |",
            "| 7 | inference (soft targets, batch 1000) / PyTorch (median call) | no peer | no peer | ≥ 1.5 on 2 threads | no peer |",
        };
        for (String line : want) assertTrue(out.lines().anyMatch(line::equals), "missing line\n  " + line + "\nin\n" + out);
    }

    private static String report(String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("python3", "report.py"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).directory(new File(".")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "report.py did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
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
