package distill4j.bench;

import distill4j.bench.peers.OpenBlas;

import java.util.List;

/**
 * Says what the benchmarks can run in this JVM, for bench/run.sh:
 * <pre>
 * backends simd scalar      (distill4j backends that can be created, highest priority first)
 * openblas yes|no REASON
 * openblas-skylakex yes|no REASON
 * </pre>
 * Run it with the same JVM flags as the forks (--add-modules jdk.incubator.vector ...).
 */
public final class Probe {
    private Probe() {}

    public static void main(String[] args) {
        List<String> backends = Variants.availableBackends();
        System.out.println("backends " + String.join(" ", backends));
        String blasMissing = null;
        try (Sgemm blas = OpenBlas.create(1)) {
            System.out.println("openblas yes " + blas.describe());
        } catch (OpenBlas.Unavailable e) {
            blasMissing = e.getMessage();
        } catch (RuntimeException | LinkageError e) {
            blasMissing = e.toString();
        }
        if (blasMissing != null) System.out.println("openblas no " + blasMissing);
        // only checks that the forced-core variant may run; loading it here would clash with the load above
        try {
            if (blasMissing != null) throw new OpenBlas.Unavailable(blasMissing);
            OpenBlas.requireCpuFor("SkylakeX");
            System.out.println("openblas-skylakex yes (OPENBLAS_CORETYPE=SkylakeX, the CPU has avx512f)");
        } catch (OpenBlas.Unavailable e) {
            System.out.println("openblas-skylakex no " + e.getMessage());
        }
    }
}
