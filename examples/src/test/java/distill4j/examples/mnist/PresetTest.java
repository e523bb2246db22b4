package distill4j.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PresetTest {
    /** The presets keep the values every published figure was trained with (checkpoint configurations included). */
    @Test
    void presetsKeepTheirValuesAndTheDefaultsAreThePapersRecipe() {
        Preset q = Preset.quick(), f = Preset.full();
        assertEquals(List.of(10_000, 1_000, 600, 80, 10, 300, 20, 20, 20, 3),
                List.of(q.trainSubset(), q.heldOut(), q.teacherHidden(), q.teacherEpochs(), q.extraTeacherEpochs(),
                        q.studentHidden(), q.studentEpochs(), q.baselineEpochs(), q.sweepEpochs(), q.ensembleSize()));
        assertEquals(List.of(60_000, 5_000, 1200, 400, 100, 800, 60, 30, 60, 3),
                List.of(f.trainSubset(), f.heldOut(), f.teacherHidden(), f.teacherEpochs(), f.extraTeacherEpochs(),
                        f.studentHidden(), f.studentEpochs(), f.baselineEpochs(), f.sweepEpochs(), f.ensembleSize()));
        assertEquals(List.of(40, 0, 150, 0), List.of(q.studentMaxEpochs(), q.studentPatience(), f.studentMaxEpochs(), f.studentPatience()));
        for (Preset p : new Preset[] {q, f}) {
            assertEquals(0.5f, p.teacherLr());
            assertEquals(0.1f, p.studentLr());
            assertEquals(0.3f, p.hardStudentLr());
            assertEquals(0.03f, p.sweepLr());
            assertEquals(0.1, p.studentLrDecay());
            assertEquals(0.95f, p.studentMomentum());
            assertEquals(20f, p.temperature());
            assertEquals(0.9f, p.alpha());
            assertEquals(2, p.jitter());
            assertEquals((float) Math.sqrt(15), p.maxNorm());
            assertArrayEquals(new float[] {1, 2, 2.5f, 3, 4, 5, 8, 20}, p.smallTemps());
            assertArrayEquals(new float[] {2, 4, 8, 20}, p.bigTemps());
            // the teacher's options text is part of its checkpoint's configuration key: it must not change
            assertEquals("Options[dropoutInput=0.2, dropoutHidden=0.5, maxNorm=3.8729835, dampenByMomentum=true, seed=1]",
                    p.teacherOptions(1).toString());
            assertEquals("dropout 20% in / 50% hidden, max-norm 3.87, jitter ±2 px", p.teacherRecipe());
        }
    }

    @Test
    void withersChangeOneValueAndBuildChecksEachOnce() {
        Preset p = Preset.quick().toBuilder().temperature(4).alpha(0.5f).dropout(0.1f, 0.4f).jitter(0).maxNorm(0).build();
        assertEquals(4f, p.temperature());
        assertEquals(0.5f, p.alpha());
        assertEquals(80, p.teacherEpochs(), "everything else as in the preset");
        assertEquals("dropout 10% in / 40% hidden, no max-norm, no jitter", p.teacherRecipe());
        assertEquals(20f, Preset.quick().temperature(), "the original preset is unchanged");
        Preset.Builder b = Preset.quick().toBuilder();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.temperature(-2).build()).getMessage()
                .contains("temperature T must be finite and > 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Preset.quick().toBuilder().alpha(2).build()).getMessage()
                .contains("alpha"));
        assertThrows(IllegalArgumentException.class, () -> Preset.quick().toBuilder().dropout(1f, 0.5f).build());
        assertThrows(IllegalArgumentException.class, () -> Preset.quick().toBuilder().teacherLr(0).build());
        // early stopping of the distilled students needs held-out images and a cap; patience 0 needs neither
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Preset.quick().toBuilder().studentPatience(5).heldOut(0).build()).getMessage()
                .contains("needs held-out training images"));
        assertEquals(0, Preset.quick().toBuilder().heldOut(0).studentMaxEpochs(0).build().heldOut());
        assertThrows(IllegalArgumentException.class, () -> Preset.quick().toBuilder().studentPatience(5).studentMaxEpochs(0).build());
        assertThrows(IllegalArgumentException.class, () -> Preset.quick().toBuilder().studentPatience(-1).build());
    }

    /** Generic training and data code must not depend on the MNIST experiments (no train ↔ mnist cycle). */
    @Test
    void trainAndDataDoNotImportMnist() throws IOException {
        Path main = Path.of("src/main/java/distill4j/examples");
        for (String pkg : new String[] {"train", "data"}) {
            try (Stream<Path> files = Files.list(main.resolve(pkg))) {
                for (Path f : files.toList()) {
                    String src = Files.readString(f);
                    assertTrue(!src.contains("distill4j.examples.mnist"), f + " refers to the mnist package");
                    assertTrue(!src.contains("distill4j.examples.demo"), f + " refers to the demo package");
                }
            }
        }
        try (Stream<Path> files = Files.list(main.resolve("data"))) {
            for (Path f : files.toList()) {
                assertTrue(!Files.readString(f).contains("distill4j.examples.train"), f + ": data must not depend on train");
            }
        }
    }
}
