package distill4j.bench;

import distill4j.bench.peers.EjmlSgemm;
import distill4j.bench.peers.OpenBlas;
import distill4j.kernels.Backend;
import distill4j.kernels.BackendProvider;
import distill4j.kernels.Backends;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a benchmark's {@code variant} @Param into the thing that runs: a distill4j backend found through
 * {@link Backends#providers()} (so a backend merged later, e.g. "simd", is benchmarked without code
 * changes), or a peer ("openblas", "ejml", "copy").
 */
public final class Variants {
    /** The system property the distill4j backends read for their thread count. */
    public static final String THREADS_PROPERTY = "distill4j.threads";

    public static final String OPENBLAS = "openblas";
    /** OpenBLAS with its AVX-512 SGEMM kernels forced (OPENBLAS_CORETYPE=SkylakeX). */
    public static final String OPENBLAS_AVX512 = "openblas-skylakex";
    public static final String EJML = "ejml";
    /** System.arraycopy of the same number of bytes: the memory-bound kernels' peer. */
    public static final String COPY = "copy";
    /** The SIMD dropout's mask stream alone ({@code SimdDropout.keepCount}): dropout's Philox-only peer. */
    public static final String PHILOX = "philox";

    private Variants() {}

    /**
     * Creates the named distill4j backend for {@code threads} threads. Each JMH fork is a fresh JVM, so
     * setting {@value #THREADS_PROPERTY} before the backend is created sizes its pool.
     */
    public static Backend backend(String name, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
        List<String> names = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            names.add(p.name());
            if (!p.name().equals(name)) continue;
            Backend b;
            try {
                b = p.create();
            } catch (Throwable t) {
                throw new IllegalStateException("distill4j backend '" + name + "' cannot run in this JVM: " + t, t);
            }
            setThreads(b, threads);
            return b;
        }
        throw new IllegalArgumentException("unknown variant '" + name + "': distill4j backends on the class path are "
                + names + ", peers are [" + OPENBLAS + ", " + EJML + "]");
    }

    /**
     * Backends that size a pool also take the count programmatically ({@code setThreads(int)}, e.g. the
     * SIMD backend); it is called when present, so the count holds even if the pool was sized earlier.
     */
    private static void setThreads(Backend b, int threads) {
        Method m;
        try {
            m = b.getClass().getMethod("setThreads", int.class);
        } catch (NoSuchMethodException e) {
            return; // a single-threaded backend (scalar)
        }
        try {
            m.invoke(Modifier.isStatic(m.getModifiers()) ? null : b, threads);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("distill4j backend '" + b.name() + "': setThreads(" + threads + ") failed: "
                    + e.getCause(), e);
        }
    }

    /** A GEMM variant: a distill4j backend, OpenBLAS or EJML. */
    public static Sgemm sgemm(String variant, int threads) {
        switch (variant) {
            case OPENBLAS:
                try {
                    return OpenBlas.create(threads);
                } catch (OpenBlas.Unavailable e) {
                    throw new UnsupportedOperationException("openblas peer skipped: " + e.getMessage(), e);
                }
            case EJML:
                return new EjmlSgemm(threads);
            default:
                if (variant.startsWith(OPENBLAS + "-")) {
                    // "openblas-skylakex": OpenBLAS with its kernels for that core forced (OPENBLAS_CORETYPE)
                    String core = variant.substring(OPENBLAS.length() + 1);
                    try {
                        return OpenBlas.create(threads, core);
                    } catch (OpenBlas.Unavailable e) {
                        throw new UnsupportedOperationException(variant + " peer skipped: " + e.getMessage(), e);
                    }
                }
                return new BackendSgemm(backend(variant, threads), threads);
        }
    }

    /** Names of the distill4j backends that can be created in this JVM, highest priority first. */
    public static List<String> availableBackends() {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            try {
                p.create();
                names.add(p.name());
            } catch (Throwable t) {
                System.err.println("# distill4j backend " + p.name() + " unavailable: " + t);
            }
        }
        return names;
    }
}
