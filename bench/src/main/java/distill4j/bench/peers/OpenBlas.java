package distill4j.bench.peers;

import distill4j.bench.Sgemm;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the OpenBLAS peer. The peer itself ({@code OpenBlasSgemm}, in src/main/java22) calls
 * {@code cblas_sgemm} through java.lang.foreign, which is final only from JDK 22 on: it is compiled
 * only when the benchmarks are built on JDK 22+, and it runs only on JDK 22+. Everywhere else, and
 * when no OpenBLAS library is installed, {@link #create} throws {@link Unavailable} with the reason,
 * and the benchmarks skip the peer with that message.
 */
public final class OpenBlas {
    /** System property with the path of libopenblas.so to load instead of the default search. */
    public static final String PATH_PROPERTY = "distill4j.openblas";

    /** Where Debian/Ubuntu (libopenblas0-pthread) and other distributions put the library. */
    private static final String[] DEFAULT_PATHS = {
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
        "/usr/lib64/libopenblas.so.0",
        "/usr/lib/libopenblas.so.0",
        "/usr/local/lib/libopenblas.so.0",
        "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
    };

    private static final String IMPL = "distill4j.bench.peers.OpenBlasSgemm";

    private OpenBlas() {}

    /** Why the OpenBLAS peer cannot run here. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;
        public Unavailable(String message) { super(message); }
    }

    /** OPENBLAS_CORETYPE values with AVX-512 SGEMM kernels (OpenBLAS's names). */
    private static final java.util.Set<String> AVX512_CORES = java.util.Set.of("skylakex", "cooperlake", "sapphirerapids");

    /** Throws unless this CPU can run OpenBLAS's kernels for {@code coreType}. */
    public static void requireCpuFor(String coreType) throws Unavailable {
        String core = coreType.toLowerCase(java.util.Locale.ROOT);
        if (!AVX512_CORES.contains(core)) {
            throw new Unavailable("OPENBLAS_CORETYPE=" + coreType + " is not one this benchmark knows how to check; use one of "
                    + AVX512_CORES);
        }
        String flags;
        try {
            flags = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (java.io.IOException | RuntimeException e) {
            throw new Unavailable("cannot read /proc/cpuinfo to check that the CPU runs " + coreType + " kernels: " + e);
        }
        if (!flags.contains(" avx512f ") && !flags.contains(" avx512f\n")) {
            throw new Unavailable("the CPU has no avx512f, so OpenBLAS's " + coreType + " kernels cannot run");
        }
    }

    /** The library to load: -Ddistill4j.openblas, else the first default path that exists. */
    public static Path libraryPath() throws Unavailable {
        String forced = System.getProperty(PATH_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            Path p = Path.of(forced.trim());
            if (!Files.isReadable(p)) throw new Unavailable("-D" + PATH_PROPERTY + "=" + forced + " is not a readable file");
            return p;
        }
        List<String> tried = new ArrayList<>();
        for (String s : DEFAULT_PATHS) {
            Path p = Path.of(s);
            if (Files.isReadable(p)) return p;
            tried.add(s);
        }
        throw new Unavailable("no OpenBLAS library found (looked in " + tried + "); install it, e.g. "
                + "`apt-get install libopenblas0-pthread`, or pass -D" + PATH_PROPERTY + "=/path/to/libopenblas.so");
    }

    /**
     * A cblas_sgemm peer using {@code threads} OpenBLAS threads (openblas_set_num_threads, checked with
     * openblas_get_num_threads) and the kernels OpenBLAS picks for this CPU.
     */
    public static Sgemm create(int threads) throws Unavailable {
        return create(threads, null);
    }

    /**
     * Same, with OpenBLAS's kernels for {@code coreType} (e.g. "SkylakeX", its AVX-512 SGEMM) forced
     * through OPENBLAS_CORETYPE; must be the first OpenBLAS load in the JVM (JMH forks are fresh JVMs).
     * Refused unless /proc/cpuinfo shows the instructions those kernels need (avx512f for SkylakeX and
     * later Intel cores), rather than risk an illegal-instruction crash.
     */
    public static Sgemm create(int threads, String coreType) throws Unavailable {
        if (coreType != null) requireCpuFor(coreType);
        int feature = Runtime.version().feature();
        Class<?> impl;
        try {
            impl = Class.forName(IMPL);
        } catch (ClassNotFoundException e) {
            throw new Unavailable("the OpenBLAS peer needs java.lang.foreign: this jar was built on a JDK before 22, so it"
                    + " has no " + IMPL + "; build and run the benchmarks on JDK 22+ (running on JDK " + feature + ")");
        } catch (LinkageError e) {
            throw new Unavailable("the OpenBLAS peer needs java.lang.foreign (JDK 22+); running on JDK " + feature + ": " + e);
        }
        if (feature < 22) {
            throw new Unavailable("the OpenBLAS peer needs java.lang.foreign (JDK 22+); running on JDK " + feature);
        }
        Path lib = libraryPath();
        try {
            return (Sgemm) impl.getConstructor(Path.class, int.class, String.class).newInstance(lib, threads, coreType);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            if (cause instanceof Error) throw (Error) cause;
            throw new IllegalStateException("openblas: cannot load " + lib + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("openblas: cannot instantiate " + IMPL + ": " + e, e);
        }
    }
}
