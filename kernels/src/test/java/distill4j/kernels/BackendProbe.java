package distill4j.kernels;

/** Prints the backend {@link Backends} chooses; run in a forked JVM by {@code SimdFallbackTest}. */
public final class BackendProbe {
    private BackendProbe() {}

    public static void main(String[] args) {
        System.out.println("chosen=" + Backends.get().name());
    }
}
