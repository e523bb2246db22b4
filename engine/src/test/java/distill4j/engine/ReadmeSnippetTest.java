package distill4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's Java example is the code between the markers of {@link ReadmeExampleTest}, so it compiles and runs. */
class ReadmeSnippetTest {
    @Test
    void readmeExampleIsTheTestedCode() throws IOException {
        String test = Files.readString(Path.of("src/test/java/distill4j/engine/ReadmeExampleTest.java"));
        String body = test.split("// --- README example starts here ---\n")[1].split("\\s*// --- README example ends here ---")[0];
        StringBuilder expected = new StringBuilder();
        for (String line : body.split("\n")) {
            String l = line.startsWith("        ") ? line.substring(8) : line;
            if (!l.startsWith("double teacherAcc")) expected.append(l).append('\n');
        }
        String readme = Files.readString(Path.of("../README.md"));
        int a = readme.indexOf("```java\n") + "```java\n".length();
        String snippet = readme.substring(a, readme.indexOf("```\n", a));
        assertEquals(expected.toString().strip(), snippet.strip(), "README.md's Java example differs from ReadmeExampleTest");
    }
}
