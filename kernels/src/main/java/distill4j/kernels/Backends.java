package distill4j.kernels;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Chooses the backend: the providers on the class path, tried in descending priority
 * (cuda → simd → scalar), or the one named by the system property {@code distill4j.backend}.
 * The choice is made once, logged in one line, and cached; {@link #setDefault} overrides it
 * (tests run the same suite on every backend that way).
 *
 * <p>Two choices: {@link #get()} is the backend for kernels on host {@code float[]} arrays, and skips
 * providers that are not {@link BackendProvider#forHostArrays() for host arrays} (CUDA: every call
 * would copy both ways) unless one is forced by name; {@link #device()} is the device for
 * device-resident tensors, the first provider by priority whose backend has
 * {@link Backend#deviceKernels() device kernels}.
 */
public final class Backends {
    /** System property naming the backend to use ("scalar", "simd", "cuda"); unset = best available. */
    public static final String PROPERTY = "distill4j.backend";

    private static final System.Logger LOG = System.getLogger("distill4j");
    private static volatile Backend current;
    private static volatile distill4j.kernels.device.DeviceKernels currentDevice;

    private Backends() {}

    /** The backend in use, chosen on first call. */
    public static Backend get() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                b = current;
                if (b == null) {
                    b = choose(System.getProperty(PROPERTY));
                    current = b;
                }
            }
        }
        return b;
    }

    /** Replaces the backend in use (for tests and benchmarks); returns the previous one. */
    public static synchronized Backend setDefault(Backend backend) {
        Backend prev = current;
        current = backend;
        return prev;
    }

    /** All providers on the class path, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            list.add(p);
        }
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return list;
    }

    /**
     * Creates the named backend, failing with a clear message if it is unknown or cannot run here;
     * with {@code name == null}, the best one that can run, falling back in priority order.
     */
    public static Backend choose(String name) {
        List<BackendProvider> providers = providers();
        if (name != null && !name.isBlank()) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (BackendProvider p : providers) {
                if (p.name().equals(wanted)) {
                    try {
                        Backend b = p.create();
                        LOG.log(Level.INFO, "distill4j backend: " + b.name() + " (forced by -D" + PROPERTY + ")");
                        return b;
                    } catch (Throwable t) {
                        throw new IllegalStateException("backend '" + wanted + "' was requested with -D" + PROPERTY
                                + " but cannot run here: " + t, t);
                    }
                }
            }
            List<String> names = new ArrayList<>();
            for (BackendProvider p : providers) names.add(p.name());
            throw new IllegalArgumentException("unknown backend '" + name + "' in -D" + PROPERTY + "; available: " + names);
        }
        StringBuilder skipped = new StringBuilder();
        for (BackendProvider p : providers) {
            if (!p.forHostArrays()) {
                if (skipped.length() > 0) skipped.append("; ");
                skipped.append(p.name()).append(" kept for device-resident tensors (-D").append(PROPERTY).append('=')
                        .append(p.name()).append(" forces it for host arrays)");
                continue;
            }
            try {
                Backend b = p.create();
                LOG.log(Level.INFO, "distill4j backend: " + b.name() + (skipped.length() > 0 ? " (" + skipped + ")" : ""));
                return b;
            } catch (Throwable t) {
                if (skipped.length() > 0) skipped.append("; ");
                skipped.append(p.name()).append(" unavailable: ").append(t.getClass().getSimpleName())
                        .append(t.getMessage() == null ? "" : " " + t.getMessage());
            }
        }
        throw new IllegalStateException("no distill4j backend can run here: " + skipped);
    }

    /**
     * The device for device-resident tensors, chosen on first call: the backend forced with
     * {@code -Ddistill4j.backend} if it has {@link Backend#deviceKernels() device kernels}, else the first
     * provider by priority whose backend can run here and has them. Logged once; throws
     * {@link IllegalStateException} saying why when there is none (no GPU: the CPU backends have none).
     */
    public static distill4j.kernels.device.DeviceKernels device() {
        distill4j.kernels.device.DeviceKernels d = currentDevice;
        if (d == null) {
            synchronized (Backends.class) {
                d = currentDevice;
                if (d == null) {
                    d = chooseDevice(System.getProperty(PROPERTY));
                    currentDevice = d;
                }
            }
        }
        return d;
    }

    /** Replaces the device of {@link #device()} (tests); returns the previous one (null if none was chosen). */
    public static synchronized distill4j.kernels.device.DeviceKernels setDevice(distill4j.kernels.device.DeviceKernels device) {
        distill4j.kernels.device.DeviceKernels prev = currentDevice;
        currentDevice = device;
        return prev;
    }

    private static distill4j.kernels.device.DeviceKernels chooseDevice(String forced) {
        StringBuilder why = new StringBuilder();
        String wanted = forced == null || forced.isBlank() ? null : forced.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> order = providers();
        if (wanted != null) {
            // the forced backend first (a CPU one has no device: the others are then tried as usual)
            for (int i = 0; i < order.size(); i++) if (order.get(i).name().equals(wanted)) order.add(0, order.remove(i));
        }
        for (BackendProvider p : order) {
            try {
                distill4j.kernels.device.DeviceKernels d = p.create().deviceKernels();
                if (d != null) {
                    LOG.log(Level.INFO, "distill4j device: " + d.name());
                    return d;
                }
                if (why.length() > 0) why.append("; ");
                why.append(p.name()).append(" has no device kernels");
            } catch (Throwable t) {
                if (why.length() > 0) why.append("; ");
                why.append(p.name()).append(" unavailable: ").append(t.getClass().getSimpleName())
                        .append(t.getMessage() == null ? "" : " " + t.getMessage());
            }
        }
        throw new IllegalStateException("no device for device-resident tensors here: " + why);
    }
}
