package distill4j.bench.peers;

import distill4j.bench.Sgemm;
import distill4j.kernels.gemm.GemmLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * OpenBLAS {@code cblas_sgemm} called through java.lang.foreign (JDK 22+), on the caller's float[]
 * arrays: the downcall is linked {@code critical(true)}, so heap segments are passed straight to the
 * native code, with no copy in or out (the GC waits for the call), which is the same memory the
 * distill4j kernels work on.
 *
 * <pre>
 * void cblas_sgemm(order, transA, transB, int M, int N, int K, float alpha, const float *A, int lda,
 *                  const float *B, int ldb, float beta, float *C, int ldc)   // blasint = int (LP64 build)
 * </pre>
 * Row-major: NN lda = k, ldb = n; NT (B is (n, k)) ldb = k; TN (A is (k, m)) lda = m; ldc = n.
 */
@SuppressWarnings("restricted") // native access is the point of this class; forks run with --enable-native-access
public final class OpenBlasSgemm implements Sgemm {
    private static final int CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout P = ValueLayout.ADDRESS;

    private final Path library;
    private final int threads;
    private final MethodHandle sgemm;
    private final String config;
    private final String core;

    private final String name;

    /**
     * @param coreType null for OpenBLAS's own CPU detection, or a kernel family (e.g. "SkylakeX") to
     *                 force with OPENBLAS_CORETYPE, which a DYNAMIC_ARCH build reads when it is loaded
     */
    public OpenBlasSgemm(Path library, int threads, String coreType) throws Throwable {
        if (threads < 1) throw new IllegalArgumentException("openblas: threads must be >= 1, got " + threads);
        this.library = library;
        this.name = coreType == null ? "openblas" : "openblas-" + coreType.toLowerCase(java.util.Locale.ROOT);
        Linker linker = Linker.nativeLinker();
        if (coreType != null) {
            // the C environment, not Java's snapshot of it: OpenBLAS calls getenv while dlopen runs its constructor
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(I, P, P, I));
            try (Arena a = Arena.ofConfined()) {
                int rc = (int) setenv.invokeExact(a.allocateFrom("OPENBLAS_CORETYPE"), a.allocateFrom(coreType), 1);
                if (rc != 0) throw new IllegalStateException("openblas: setenv(OPENBLAS_CORETYPE) failed");
            }
        }
        // loaded for the life of the JVM, like System.load
        SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
        this.sgemm = linker.downcallHandle(find(lib, "cblas_sgemm"),
                FunctionDescriptor.ofVoid(I, I, I, I, I, I, F, P, I, P, I, F, P, I),
                Linker.Option.critical(true));
        MethodHandle setThreads = linker.downcallHandle(find(lib, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(I));
        MethodHandle getThreads = linker.downcallHandle(find(lib, "openblas_get_num_threads"), FunctionDescriptor.of(I));
        MethodHandle getConfig = linker.downcallHandle(find(lib, "openblas_get_config"), FunctionDescriptor.of(P));
        MethodHandle getCore = linker.downcallHandle(find(lib, "openblas_get_corename"), FunctionDescriptor.of(P));
        setThreads.invokeExact(threads);
        int actual = (int) getThreads.invokeExact();
        if (actual != threads) {
            throw new IllegalStateException("openblas: asked " + library + " for " + threads
                    + " threads with openblas_set_num_threads, it reports " + actual);
        }
        this.threads = actual;
        this.config = cString((MemorySegment) getConfig.invokeExact());
        this.core = cString((MemorySegment) getCore.invokeExact());
        if (coreType != null && !core.equalsIgnoreCase(coreType)) {
            throw new IllegalStateException("openblas: asked for OPENBLAS_CORETYPE=" + coreType + " but " + library
                    + " runs core " + core + " (a library already loaded in this JVM keeps the core it chose)");
        }
    }

    private static MemorySegment find(SymbolLookup lib, String symbol) {
        return lib.find(symbol).orElseThrow(() -> new IllegalStateException("openblas: symbol " + symbol + " not found"));
    }

    private static String cString(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "?" : p.reinterpret(4096).getString(0);
    }

    @Override public String name() { return name; }

    @Override
    public String describe() {
        return "OpenBLAS " + library + " (" + config + ", core " + core + "), threads " + threads;
    }

    @Override
    public void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        int transA = layout == GemmLayout.TN ? CBLAS_TRANS : CBLAS_NO_TRANS;
        int transB = layout == GemmLayout.NT ? CBLAS_TRANS : CBLAS_NO_TRANS;
        int lda = layout == GemmLayout.TN ? m : k;
        int ldb = layout == GemmLayout.NT ? k : n;
        // OpenBLAS rejects ld < 1 even for empty matrices
        lda = Math.max(lda, 1);
        ldb = Math.max(ldb, 1);
        int ldc = Math.max(n, 1);
        try {
            sgemm.invokeExact(CBLAS_ROW_MAJOR, transA, transB, m, n, k, 1f,
                    MemorySegment.ofArray(a), lda, MemorySegment.ofArray(b), ldb,
                    accumulate ? 1f : 0f, MemorySegment.ofArray(c), ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("openblas: cblas_sgemm failed: " + t, t);
        }
    }
}
