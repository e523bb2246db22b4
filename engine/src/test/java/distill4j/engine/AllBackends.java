package distill4j.engine;

import distill4j.kernels.Backend;
import distill4j.kernels.BackendProvider;
import distill4j.kernels.Backends;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs a test once per backend that can run here: every {@link BackendProvider} on the class path
 * (scalar, simd when present, cuda when a GPU is there) whose {@code create()} succeeds, with
 * {@link Backends#setDefault} set around the test. With {@code -Ddistill4j.backend=NAME} only that one.
 * A test method may take a {@link Backend} parameter to see which one it runs on.
 */
public final class AllBackends implements TestTemplateInvocationContextProvider {

    /** Marks a test method to run on every available backend. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @TestTemplate
    @ExtendWith(AllBackends.class)
    public @interface BackendTest {}

    private static volatile List<Backend> available;

    /** The backends that can run here, highest priority first (created once per JVM). */
    public static synchronized List<Backend> available() {
        if (available == null) {
            String forced = System.getProperty(Backends.PROPERTY);
            List<Backend> list = new ArrayList<>();
            for (BackendProvider p : Backends.providers()) {
                if (forced != null && !forced.isBlank() && !p.name().equals(forced.trim().toLowerCase(Locale.ROOT))) continue;
                try {
                    list.add(p.create());
                } catch (Throwable t) {
                    System.err.println("AllBackends: skipping backend '" + p.name() + "': " + t);
                }
            }
            if (list.isEmpty()) throw new IllegalStateException("no backend can run for the tests");
            available = List.copyOf(list);
        }
        return available;
    }

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return true;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return available().stream().map(OnBackend::new);
    }

    private static final class OnBackend implements TestTemplateInvocationContext {
        private final Backend backend;

        OnBackend(Backend backend) {
            this.backend = backend;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + backend.name() + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            Backend[] previous = new Backend[1];
            return List.of(
                    (BeforeEachCallback) ctx -> previous[0] = Backends.setDefault(backend),
                    (AfterEachCallback) ctx -> Backends.setDefault(previous[0]),
                    new ParameterResolver() {
                        @Override
                        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
                            return p.getParameter().getType() == Backend.class;
                        }

                        @Override
                        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
                            return backend;
                        }
                    });
        }
    }
}
