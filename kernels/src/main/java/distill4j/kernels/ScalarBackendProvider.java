package distill4j.kernels;

/** Registers {@link ScalarBackend}, the always-available fallback (priority 0). */
public final class ScalarBackendProvider implements BackendProvider {
    @Override public String name() { return "scalar"; }
    @Override public int priority() { return 0; }
    @Override public Backend create() { return new ScalarBackend(); }
}
