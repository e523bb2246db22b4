package distill4j.bench;

import distill4j.bench.peers.OpenBlas;

import java.util.List;

/**
 * Says what the benchmarks can run in this JVM, for bench/run.sh:
 * <pre>
 * backends simd scalar      (distill4j backends that can be created, highest priority first)
 * openblas yes|no REASON
 * </pre>
 * Run it with the same JVM flags as the forks (--add-modules jdk.incubator.vector ...).
 */
public final class Probe {
    private Probe() {}

    public static void main(String[] args) {
        List<String> backends = Variants.availableBackends();
        System.out.println("backends " + String.join(" ", backends));
        try (Sgemm blas = OpenBlas.create(1)) {
            System.out.println("openblas yes " + blas.describe());
        } catch (OpenBlas.Unavailable e) {
            System.out.println("openblas no " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            System.out.println("openblas no " + e);
        }
    }
}
