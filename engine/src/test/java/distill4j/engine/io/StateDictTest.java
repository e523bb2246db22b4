package distill4j.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictTest {
    @TempDir Path dir;

    @Test
    void roundTripsArraysScalarsAndMetadataInOrder() throws Exception {
        long seed = 7L;
        Random rnd = new Random(seed);
        StateDict.Builder b = StateDict.builder();
        for (int layer = 0; layer < 3; layer++) {
            int out = 1 + rnd.nextInt(9), in = 1 + rnd.nextInt(9);
            float[] w = new float[out * in];
            for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
            b.array("fc" + layer + ".weight", new int[] {out, in}, w);
            b.array("fc" + layer + ".bias", new int[] {out}, new float[out]);
        }
        b.scalar("step", 1000).scalar("epoch", -1).metadata("b", "2").metadata("a", "1");
        StateDict s = b.build();
        Path f = dir.resolve("ckpt.safetensors");
        s.write(f);
        StateDict back = StateDict.read(f);
        assertEquals(s, back, "seed " + seed);
        assertEquals(List.of("b", "a"), List.copyOf(back.metadata().keySet()), "metadata order is kept");
        assertEquals(1000L, back.scalar("step"));
        assertEquals(-1L, back.scalar("epoch"));
        // arrays come back in file order (the writer's order: by name within F32)
        assertEquals(List.of("fc0.bias", "fc0.weight", "fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"),
                List.copyOf(back.arrays().keySet()));
    }

    @Test
    void scalarsAreZeroDimensionalI64Tensors() {
        SafetensorsFile f = StateDict.builder().scalar("step", 3).build().toSafetensors();
        RawTensor t = f.tensor("step");
        assertEquals(DType.I64, t.dtype());
        assertArrayEquals(new long[0], t.shape());
        assertArrayEquals(new long[] {3}, t.toLongs());
    }

    @Test
    void clearErrorsForBadStates() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> StateDict.builder().scalar("x", 1).array("x", new int[] {1}, new float[1]));
        assertTrue(dup.getMessage().contains("duplicate name \"x\""), dup.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> new StateDict(Map.of("a", new NamedArray("b", new int[] {1}, new float[1])), Map.of(), Map.of()));
        assertTrue(mismatch.getMessage().contains("stored under \"a\" is named \"b\""), mismatch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StateDict.builder().scalar("__metadata__", 1).build());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new NamedArray("w", new int[] {2, 3}, new float[5]));
        assertTrue(shape.getMessage().contains("shape [2, 3] has 6 elements but data has 5"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NamedArray("w", new int[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new NamedArray("w", new int[] {65536, 65536}, new float[0]), "overflowing shape");
        StateDict s = StateDict.of(List.of(new NamedArray("w", new int[] {1}, new float[] {1})));
        NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> s.array("v"));
        assertTrue(missing.getMessage().contains("no array \"v\" in state (arrays: [w])"), missing.getMessage());
        assertThrows(NoSuchElementException.class, () -> s.scalar("step"));
    }

    @Test
    void namedArrayEqualityIsBitwise() {
        NamedArray a = new NamedArray("x", new int[] {2}, new float[] {Float.NaN, 0f});
        assertEquals(a, new NamedArray("x", new int[] {2}, new float[] {Float.NaN, 0f}));
        assertNotEquals(a, new NamedArray("x", new int[] {2}, new float[] {Float.NaN, -0f}));
        assertNotEquals(a, new NamedArray("x", new int[] {1, 2}, new float[] {Float.NaN, 0f}));
        assertEquals(a.hashCode(), new NamedArray("x", new int[] {2}, new float[] {Float.NaN, 0f}).hashCode());
    }
}
