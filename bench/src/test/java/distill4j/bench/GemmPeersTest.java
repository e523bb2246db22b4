package distill4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.bench.peers.EjmlSgemm;
import distill4j.bench.peers.OpenBlas;
import distill4j.kernels.gemm.GemmLayout;
import distill4j.kernels.ScalarBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The GEMM peers compute the same C as the scalar reference for every layout, overwrite and accumulate,
 * on odd shapes: a table comparing against a peer called with the wrong transpose flags would be
 * meaningless. OpenBLAS rows run only where the peer can (JDK 22+ build and libopenblas installed) and
 * are skipped with the reason otherwise.
 */
class GemmPeersTest {
    /** float32 GEMM of length ≤ 67 against the float64-accumulated reference: |c − ref| ≤ ATOL + RTOL·|ref|. */
    static final double ATOL = 1e-5, RTOL = 1e-5;

    static final int[][] SHAPES = {{1, 1, 1}, {1, 7, 3}, {5, 1, 9}, {3, 4, 1}, {17, 13, 31}, {33, 65, 67}, {64, 48, 40}};

    static void compareWithScalar(Sgemm peer) {
        ScalarBackend ref = new ScalarBackend();
        long seed = 100;
        for (GemmLayout layout : GemmLayout.values()) {
            for (int[] s : SHAPES) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    seed++;
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = Check.uniform(m * k, seed), b = Check.uniform(k * n, seed + 1000);
                    float[] want = Check.uniform(m * n, seed + 2000), got = want.clone();
                    ref.gemm().gemm(layout, m, n, k, a, b, want, accumulate);
                    peer.gemm(layout, m, n, k, a, b, got, accumulate);
                    for (int i = 0; i < want.length; i++) {
                        if (!(Math.abs(got[i] - want[i]) <= ATOL + RTOL * Math.abs(want[i]))) {
                            fail(peer.name() + " " + layout + " m=" + m + " n=" + n + " k=" + k + " accumulate="
                                    + accumulate + ": C[" + i + "] = " + got[i] + ", reference " + want[i]
                                    + " (seed " + seed + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void ejmlMatchesScalarOnOneAndTwoThreads() {
        compareWithScalar(new EjmlSgemm(1));
        compareWithScalar(new EjmlSgemm(2));
    }

    @Test
    void openBlasMatchesScalarWhereAvailable() {
        for (int threads : new int[] {1, 2}) {
            Sgemm blas;
            try {
                blas = OpenBlas.create(threads);
            } catch (OpenBlas.Unavailable e) {
                Assumptions.abort("OpenBLAS peer skipped: " + e.getMessage());
                return;
            }
            assertTrue(blas.describe().contains("threads " + threads), blas.describe());
            try (blas) {
                compareWithScalar(blas);
            }
        }
    }

    @Test
    void forcingAnotherOpenBlasCoreAfterLoadingIsRefusedClearly() {
        try (Sgemm first = OpenBlas.create(1)) {
            OpenBlas.requireCpuFor("SkylakeX");
            if (first.describe().contains("core SkylakeX")) Assumptions.abort("OpenBLAS already chose SkylakeX itself");
        } catch (OpenBlas.Unavailable e) {
            Assumptions.abort("OpenBLAS AVX-512 peer skipped: " + e.getMessage());
        }
        // the library is loaded now, with the core it detected: a forced core cannot take effect any more
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpenBlas.create(1, "SkylakeX"));
        assertTrue(e.getMessage().contains("OPENBLAS_CORETYPE=SkylakeX"), e.getMessage());
        OpenBlas.Unavailable bad = assertThrows(OpenBlas.Unavailable.class, () -> OpenBlas.create(1, "Pentium"));
        assertTrue(bad.getMessage().contains("Pentium"), bad.getMessage());
    }

    @Test
    void everyAvailableBackendMatchesScalar() {
        List<String> names = new ArrayList<>(Variants.availableBackends());
        assertTrue(names.contains("scalar"), "scalar backend must always be available: " + names);
        for (String name : names) compareWithScalar(Variants.sgemm(name, 1));
    }

    @Test
    void sampledCheckCatchesAWrongResult() {
        GemmShape s = GemmShape.parse("NT-20x30x40");
        float[] a = Check.uniform(s.aLength(), 1), b = Check.uniform(s.bLength(), 2), c = new float[s.cLength()];
        // a peer that forgot the transpose of B computes a different product
        new ScalarBackend().gemm().gemm(GemmLayout.NN, 20, 30, 40, a, b, c, false);
        assertThrows(IllegalStateException.class, () -> Check.gemm("wrong", s, a, b, c, 3));
        new ScalarBackend().gemm().gemm(GemmLayout.NT, 20, 30, 40, a, b, c, false);
        Check.gemm("right", s, a, b, c, 3);
    }

    @Test
    void shapesParseAndRejectBadInput() {
        GemmShape s = GemmShape.parse("TN-784x1200x128");
        assertEquals(GemmLayout.TN, s.layout());
        assertEquals(784, s.m());
        assertEquals(1200, s.n());
        assertEquals(128, s.k());
        assertEquals(2.0 * 784 * 1200 * 128, s.flops());
        for (String bad : new String[] {"NN-1x2", "XX-1x2x3", "NN-0x2x3", "NN-ax2x3", "NN"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmShape.parse(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void unknownVariantNamesTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Variants.sgemm("nope", 1));
        assertTrue(e.getMessage().contains("scalar") && e.getMessage().contains("nope"), e.getMessage());
    }
}
