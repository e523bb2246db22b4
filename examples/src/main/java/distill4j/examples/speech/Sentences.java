package distill4j.examples.speech;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The text: sentences of Debian's {@code fortunes-min} (files {@code fortunes}, {@code literature},
 * {@code riddles}), split into train/dev/test by sentence, deterministically from a seed.
 *
 * <p>Each fortune (between {@code %} lines) loses its attribution lines ({@code -- Someone}), is joined
 * into one line and cut after {@code . ! ?}; a sentence is kept when it has 4 to 20 words and only
 * letters, digits, spaces and {@code , . ; : ' ! ? " -}; duplicates (ignoring case) are dropped, the
 * first kept. About 820 sentences with fortunes-min 1:1.99.
 */
public final class Sentences {
    private Sentences() {}

    public static final Path DIR = Path.of("/usr/share/games/fortunes");
    public static final List<String> FILES = List.of("fortunes", "literature", "riddles");
    /** Shares of the sentences: test first, then dev; train gets the rest. */
    public static final double TEST_SHARE = 0.12, DEV_SHARE = 0.08;

    private static final Pattern ATTRIBUTION = Pattern.compile("^\\s*-{1,2}\\s.*");
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9 ,.;:'!?\"-]+");

    /** Sentences split three ways; indices refer to {@link #all}. */
    public record Split(List<String> all, List<Integer> train, List<Integer> dev, List<Integer> test) {}

    public static List<String> read(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : FILES) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new IOException("missing " + f + ": install the text with: apt-get install -y fortunes-min");
            }
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            for (String fortune : text.split("\n%\n")) {
                StringBuilder joined = new StringBuilder();
                for (String line : fortune.split("\n")) {
                    if (ATTRIBUTION.matcher(line).matches()) continue;
                    joined.append(line.strip()).append(' ');
                }
                for (String s : joined.toString().split("(?<=[.!?])\\s+")) {
                    s = s.strip();
                    int words = s.isEmpty() ? 0 : s.split("\\s+").length;
                    if (words < 4 || words > 20 || !ALLOWED.matcher(s).matches()) continue;
                    if (seen.add(s.toLowerCase(java.util.Locale.ROOT))) out.add(s);
                }
            }
        }
        return out;
    }

    /** Shuffles sentence indices with {@code seed} and cuts test, dev, train in that order. */
    public static Split split(List<String> all, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) idx.add(i);
        Collections.shuffle(idx, new Random(seed));
        int test = (int) Math.round(all.size() * TEST_SHARE), dev = (int) Math.round(all.size() * DEV_SHARE);
        return new Split(all, List.copyOf(idx.subList(test + dev, idx.size())), List.copyOf(idx.subList(test, test + dev)),
                List.copyOf(idx.subList(0, test)));
    }
}
