package distill4j.examples.speech;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian packages the speech corpus is made with, and the flite helper built from them.
 *
 * <ul>
 *   <li>{@code flite1-dev} (headers, link libraries) and {@code libflite1} (the voices awb, rms, slt),
 *       pulled in by {@code flite};</li>
 *   <li>{@code sox} for the pitch shift; {@code fortunes-min} for the text; {@code gcc} for the helper.</li>
 * </ul>
 * {@link #check} lists what is missing; {@link #ensure} installs it with apt-get only when asked to
 * (the tool's {@code --install}, or a test running as root) and otherwise fails with the command to run.
 */
public final class SpeechTools {
    private SpeechTools() {}

    public static final List<String> PACKAGES = List.of("flite", "flite1-dev", "sox", "fortunes-min", "gcc");
    public static final String APT_COMMAND = "apt-get install -y " + String.join(" ", PACKAGES);
    static final String HELPER_SOURCE = "speechsynth.c";
    static final List<String> LINK = List.of("-lflite_cmu_us_awb", "-lflite_cmu_us_rms", "-lflite_cmu_us_slt",
            "-lflite_usenglish", "-lflite_cmulex", "-lflite", "-lm");

    /** What is missing, one entry per item, each naming its package; empty when all is there. */
    public static List<String> check() {
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(Path.of("/usr/include/flite/flite.h"))) missing.add("/usr/include/flite/flite.h (package flite1-dev)");
        for (String v : List.of("awb", "rms", "slt")) {
            if (findLib("libflite_cmu_us_" + v + ".so") == null) {
                missing.add("libflite_cmu_us_" + v + ".so, the flite voice cmu_us_" + v + " (packages libflite1, flite1-dev)");
            }
        }
        if (onPath("sox") == null) missing.add("sox (package sox)");
        if (onPath("gcc") == null) missing.add("gcc (package gcc)");
        for (String f : Sentences.FILES) {
            if (!Files.isRegularFile(Sentences.DIR.resolve(f))) missing.add(Sentences.DIR.resolve(f) + " (package fortunes-min)");
        }
        return missing;
    }

    /**
     * What is still missing after installing it where this process may (root, with apt-get on the PATH);
     * empty when everything is there. The tests that build a corpus skip themselves on what it returns.
     */
    public static List<String> missingAfterInstallIfAllowed(PrintStream log) throws IOException {
        List<String> missing = check();
        if (!missing.isEmpty() && "root".equals(System.getProperty("user.name")) && onPath("apt-get") != null) {
            ensure(true, log);
            missing = check();
        }
        return missing;
    }

    /**
     * Makes sure everything is installed: when something is missing and {@code install} is true (and
     * apt-get is there), runs {@code apt-get update} and {@link #APT_COMMAND}; otherwise throws naming
     * what is missing and the command.
     */
    public static void ensure(boolean install, PrintStream log) throws IOException {
        List<String> missing = check();
        if (missing.isEmpty()) return;
        if (install && onPath("apt-get") != null) {
            log.println("speech: installing " + String.join(" ", PACKAGES) + " with apt-get (missing: " + String.join("; ", missing) + ")");
            run(List.of("apt-get", "update", "-q"), log, 900);
            List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
            cmd.addAll(PACKAGES);
            run(cmd, log, 1800);
            missing = check();
            if (missing.isEmpty()) return;
        }
        throw new IOException("the speech corpus needs Debian packages that are not installed; missing: "
                + String.join("; ", missing) + ". Install them with: sudo " + APT_COMMAND
                + (install ? "" : " (or run with --install as root)"));
    }

    /**
     * The helper binary in {@code binDir}, compiled with gcc from the source shipped in this jar when not
     * there yet; its file name carries the hash of the source, so an edited source gets a new binary.
     */
    public static Path helper(Path binDir, PrintStream log) throws IOException {
        byte[] source;
        try (InputStream in = SpeechTools.class.getResourceAsStream(HELPER_SOURCE)) {
            if (in == null) throw new IOException("resource " + HELPER_SOURCE + " missing from the classpath");
            source = in.readAllBytes();
        }
        String tag = sha256(source).substring(0, 12);
        Path exe = binDir.resolve("speechsynth-" + tag);
        if (Files.isExecutable(exe)) return exe;
        Files.createDirectories(binDir);
        Path src = binDir.resolve("speechsynth-" + tag + ".c");
        Files.write(src, source);
        Path tmp = binDir.resolve("speechsynth-" + tag + ".part");
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-o", tmp.toString(), src.toString(), "-I/usr/include/flite"));
        cmd.addAll(LINK);
        log.println("speech: compiling the flite helper: " + String.join(" ", cmd));
        try {
            run(cmd, log, 300);
        } catch (IOException e) {
            throw new IOException("could not build the flite helper " + exe + " (" + e.getMessage()
                    + "); are the flite voices installed? " + APT_COMMAND, e);
        }
        Files.move(tmp, exe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return exe;
    }

    static Path findLib(String name) {
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib", "/usr/local/lib")) {
            Path p = Path.of(dir, name);
            if (Files.exists(p)) return p;
        }
        return null;
    }

    static Path onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, exe);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Runs a command, its output going to the log; throws with its exit code and output tail. */
    static void run(List<String> cmd, PrintStream log, int timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out;
        try {
            out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + cmd.get(0), e);
        }
        if (p.exitValue() != 0) {
            String text = new String(out, StandardCharsets.UTF_8);
            throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": "
                    + text.substring(Math.max(0, text.length() - 2000)).strip());
        }
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }
}
