package distill4j.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.softmax.ScalarSoftmax;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Files written by PyTorch (through tools/golden/check_safetensors.py, committed under
 * src/test/resources/safetensors/) are read back exactly, and our writer reproduces them byte for byte.
 * Every expected value is recomputed here from the formula the script documents.
 */
class SafetensorsInteropTest {
    /** float32 softmax vs PyTorch's float32 softmax: a few ulps of values below 1. */
    static final float SOFTMAX_ATOL = 1e-6f;
    static final float SOFTMAX_RTOL = 1e-5f;

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SafetensorsInteropTest.class.getResourceAsStream("/safetensors/" + name)) {
            if (in == null) throw new IOException("missing test resource /safetensors/" + name);
            return in.readAllBytes();
        }
    }

    @Test
    void readsThePyTorchGoldenExactly() throws Exception {
        byte[] golden = resource("pytorch_golden.safetensors");
        SafetensorsFile f = Safetensors.parse(golden, "pytorch_golden.safetensors");

        assertEquals(Map.of("format", "pt", "note", "written by tools/golden/check_safetensors.py: \"ünï\" \\ \t"),
                f.metadata());

        float[] w = new float[12];
        for (int i = 0; i < 12; i++) w[i] = (i - 5.5f) / 4f;
        assertRaw(f, "fc1.weight", DType.F32, new long[] {3, 4});
        assertArrayEquals(w, f.tensor("fc1.weight").toFloats());
        assertArrayEquals(new float[] {0.5f, -0.25f, 1.0e-3f}, f.tensor("fc1.bias").toFloats());
        assertArrayEquals(new float[] {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.MIN_VALUE, Float.MAX_VALUE}, f.tensor("specials").toFloats(), "bitwise, −0 and NaN included");
        assertRaw(f, "empty", DType.F32, new long[] {0, 3});
        assertRaw(f, "temperature", DType.F32, new long[0]);
        assertArrayEquals(new float[] {4f}, f.tensor("temperature").toFloats());
        assertArrayEquals(new float[] {2.5f}, f.tensor("größe.μ").toFloats());
        assertRaw(f, "h.f64", DType.F64, new long[] {2, 3});
        assertArrayEquals(new double[] {0, 1.0 / 3, 2.0 / 3, 1, 4.0 / 3, 5.0 / 3}, f.tensor("h.f64").toDoubles());
        assertRaw(f, "optimizer.step", DType.I64, new long[0]);
        assertArrayEquals(new long[] {7}, f.tensor("optimizer.step").toLongs());

        // Our writer lays the same contents out exactly as the Python writer (the reference's rules) did.
        assertArrayEquals(golden, Safetensors.serialize(f));
    }

    @Test
    void pytorchSoftmaxWithTemperatureMatchesTheScalarKernel() throws Exception {
        SafetensorsFile f = Safetensors.parse(resource("pytorch_golden.safetensors"), "pytorch_golden.safetensors");
        float[] z = {-3.0f, 0.5f, 2.0f, 7.25f, -1.0f, 10.0f, -10.0f, 0.0f, 3.5f, 3.0f};
        float[] ours = new float[10];
        new ScalarSoftmax().softmaxForward(z, ours, 2, 5, 4f);
        float[] torch = f.tensor("teacher.soft_targets_T4").toFloats();
        for (int i = 0; i < 10; i++) {
            assertEquals(torch[i], ours[i], SOFTMAX_ATOL + SOFTMAX_RTOL * Math.abs(torch[i]), "element " + i);
        }
    }

    @Test
    void stateDictLoadsThePyTorchGolden() throws Exception {
        Path tmp = Files.createTempFile("golden", ".safetensors");
        try {
            Files.write(tmp, resource("pytorch_golden.safetensors"));
            StateDict s = StateDict.read(tmp);
            assertEquals(7L, s.scalar("optimizer.step"));
            assertEquals(List.of("optimizer.step"), List.copyOf(s.scalars().keySet()));
            // F64 narrowed to float32
            assertArrayEquals(new float[] {0f, (float) (1.0 / 3), (float) (2.0 / 3), 1f, (float) (4.0 / 3), (float) (5.0 / 3)},
                    s.array("h.f64").data());
            assertArrayEquals(new int[] {2, 3}, s.array("h.f64").shape());
            assertArrayEquals(new int[0], s.array("temperature").shape());
            assertEquals(8, s.arrays().size());
            assertEquals("pt", s.metadata().get("format"));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Test
    void i64VectorIsReadRawButRefusedAsAStateScalar() throws Exception {
        SafetensorsFile f = Safetensors.parse(resource("pytorch_i64_vector.safetensors"), "vec");
        assertArrayEquals(new long[] {0, -1, 1L << 40, Long.MIN_VALUE}, f.tensor("counts").toLongs());
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> StateDict.fromSafetensors(f, "vec.safetensors"));
        assertTrue(e.getMessage().contains("tensor \"counts\": an I64 tensor of shape [4] is not a single integer"),
                e.getMessage());
    }

    /**
     * Writes target/safetensors-interop/java_written.safetensors for the Python check
     * (tools/golden/check_safetensors.py roundtrip ...), and reads it back here.
     */
    @Test
    void writesAFileForThePythonCheck() throws Exception {
        Path out = Path.of("target", "safetensors-interop");
        Files.createDirectories(out);
        Path file = out.resolve("java_written.safetensors");
        float[] w = new float[6 * 5];
        for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i) * 3f;
        StateDict s = StateDict.builder()
                .array("fc.weight", new int[] {6, 5}, w)
                .array("fc.bias", new int[] {6}, new float[] {-0f, 1, 2, 3, Float.NaN, Float.MIN_VALUE})
                .array("adam.m.fc.weight", new int[] {6, 5}, new float[30])
                .scalar("adam.step", 123_456_789_012L)
                .metadata("distill4j", "state")
                .metadata("temperature", "20")
                .build();
        s.write(file);
        assertEquals(s, StateDict.read(file));
    }

    private static void assertRaw(SafetensorsFile f, String name, DType dtype, long[] shape) {
        RawTensor t = f.tensor(name);
        assertEquals(dtype, t.dtype(), name);
        assertArrayEquals(shape, t.shape(), name);
    }
}
