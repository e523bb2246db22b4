package distill4j.kernels;

/**
 * A pluggable backend, found with {@link java.util.ServiceLoader} (file
 * {@code META-INF/services/distill4j.kernels.BackendProvider}). {@link Backends} tries providers in
 * descending {@link #priority()} and takes the first whose {@link #create()} succeeds.
 */
public interface BackendProvider {
    /** The backend's name, as in {@link Backend#name()}. */
    String name();

    /** Higher is tried first: cuda 100, simd 50, scalar 0. */
    int priority();

    /**
     * Creates the backend, or throws (any {@link Throwable}: a missing incubator module gives
     * {@link NoClassDefFoundError}, a missing GPU driver {@link UnsatisfiedLinkError}) when it cannot
     * run here; the caller logs the reason and falls back.
     */
    Backend create() throws Throwable;

    /**
     * Whether {@link Backends#get()} may pick this backend for work on host {@code float[]} arrays
     * without being asked. A backend whose memory is elsewhere (CUDA: every host-array call copies both
     * ways) says false: it is then chosen for host arrays only when forced by name, and is offered for
     * device-resident work by {@link Backends#device()}.
     */
    default boolean forHostArrays() {
        return true;
    }
}
