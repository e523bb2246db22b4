package distill4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.io.NamedArray;
import distill4j.engine.io.Safetensors;
import distill4j.engine.io.SafetensorsFile;
import distill4j.engine.io.SafetensorsFormatException;
import distill4j.engine.io.StateDict;
import distill4j.engine.loss.Losses;
import distill4j.engine.nn.MLP;
import distill4j.engine.nn.Sequential;
import distill4j.engine.optim.Adam;
import distill4j.engine.optim.Optimizer;
import distill4j.engine.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final Tensor X;
    private static final int[] Y = {0, 1, 2, 1, 0, 2, 2, 1};

    static {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[8 * 5];
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * rng.nextDouble() - 1);
        X = Tensor.of(x, 8, 5);
    }

    private static Sequential model() {
        return MLP.of(5, 12, 3).dropout(0.1f, 0.5f).seed(11).build();
    }

    private static void train(Sequential m, Optimizer opt, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Losses.crossEntropy(m.forward(X), Y).backward();
            opt.step();
        }
    }

    /** 3 steps, save to a safetensors file, load into fresh objects, 2 more steps = 5 uninterrupted steps, bit for bit. */
    @Test
    void resumingFromAFileContinuesExactly(@TempDir Path dir) throws Exception {
        for (String kind : new String[] {"sgd", "adam"}) {
            Sequential full = model();
            train(full, optimizer(kind, full), 5);

            Sequential first = model();
            Optimizer opt = optimizer(kind, first);
            train(first, opt, 3);
            Path file = dir.resolve(kind + ".safetensors");
            Checkpoint.save(file, first, opt, Map.of("epoch", 3L));

            Sequential resumed = MLP.of(5, 12, 3).dropout(0.1f, 0.5f).seed(99).build(); // other weights, overwritten
            Optimizer opt2 = optimizer(kind, resumed);
            Map<String, Long> counters = Checkpoint.load(file, resumed, opt2);
            assertEquals(Map.of("epoch", 3L), counters);
            train(resumed, opt2, 2);
            for (String k : full.namedParameters().keySet()) {
                assertArrayEquals(full.namedParameters().get(k).data(), resumed.namedParameters().get(k).data(), kind + " " + k);
            }
        }
    }

    @Test
    void mismatchedModelIsRefused() {
        Sequential m = model();
        var state = Checkpoint.capture(m, null, Map.of());
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(state, MLP.of(5, 13, 3).dropout(0.1f, 0.5f).build(), null));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(state, MLP.of(5, 12, 3).build(), null));
    }

    /** A copy of every parameter, to show that a refused load changed nothing. */
    private static Map<String, float[]> weights(Sequential m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, v) -> out.put(k, v.data().clone()));
        return out;
    }

    private static void assertUnchanged(Map<String, float[]> before, Sequential m) {
        before.forEach((k, v) -> assertArrayEquals(v, m.namedParameters().get(k).data(), k + " unchanged"));
    }

    @Test
    void flippedByteInASavedCheckpointIsRefusedAndNothingIsLoaded(@TempDir Path dir) throws Exception {
        Sequential m = model();
        Optimizer opt = optimizer("adam", m);
        train(m, opt, 2);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, m, opt, Map.of("epoch", 2L));
        assertTrue(Checkpoint.hasChecksum(file));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 100] ^= 0x01; // one bit of one float (a parameter or an Adam moment)
        Files.write(file, bytes);

        Sequential fresh = model();
        Optimizer opt2 = optimizer("adam", fresh);
        Map<String, float[]> before = weights(fresh);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> Checkpoint.load(file, fresh, opt2));
        assertTrue(e.getMessage().startsWith(file + ": the checksum of the tensor data does not match"), e.getMessage());
        assertTrue(e.getMessage().contains("changed or corrupted after it was written"), e.getMessage());
        assertUnchanged(before, fresh);
        assertArrayEquals(bytes, Files.readAllBytes(file), "the file is not overwritten");
    }

    /** Older runs' checkpoints have no checksum: the resume path accepts them, unchecked. */
    @Test
    void checkpointWithoutAChecksumIsAccepted(@TempDir Path dir) throws Exception {
        Sequential m = model();
        Optimizer opt = optimizer("sgd", m);
        train(m, opt, 2);
        Path file = dir.resolve("old.safetensors");
        Checkpoint.save(file, m, opt, Map.of("epoch", 2L));
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        meta.remove(Safetensors.CHECKSUM_KEY);
        Files.write(file, Safetensors.serialize(new SafetensorsFile(meta, f.tensors()))); // as written before checksums
        assertFalse(Checkpoint.hasChecksum(file));

        Sequential resumed = MLP.of(5, 12, 3).dropout(0.1f, 0.5f).seed(99).build();
        Optimizer opt2 = optimizer("sgd", resumed);
        assertEquals(Map.of("epoch", 2L), Checkpoint.load(file, resumed, opt2));
        for (String k : m.namedParameters().keySet()) {
            assertArrayEquals(m.namedParameters().get(k).data(), resumed.namedParameters().get(k).data(), k);
        }
        Checkpoint.save(file, resumed, opt2, Map.of("epoch", 2L));
        assertTrue(Checkpoint.hasChecksum(file), "saving again records one");
    }

    @Test
    void wrongShapeNamesTheFileTheKeyAndBothShapes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, model(), null, Map.of());
        Sequential wider = MLP.of(5, 13, 3).dropout(0.1f, 0.5f).build();
        Map<String, float[]> before = weights(wider);
        String first = wider.namedParameters().keySet().iterator().next();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, wider, null));
        assertTrue(e.getMessage().startsWith(file + ": does not fit the model: "), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + first + "\" has shape [12, 5] in the file but [13, 5] in the model"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was loaded"), e.getMessage());
        assertUnchanged(before, wider);
    }

    @Test
    void missingUnexpectedAndWrongDtypeEntriesAreNamed() {
        Sequential m = model();
        StateDict full = Checkpoint.capture(m, null, Map.of());
        List<String> names = List.copyOf(m.namedParameters().keySet());
        String gone = names.get(names.size() - 1), asInteger = names.get(0);
        StateDict.Builder b = StateDict.builder();
        for (NamedArray a : full.arrays().values()) {
            if (a.name().equals(asInteger)) b.scalar(a.name(), 1);
            else if (!a.name().equals(gone)) b.array(a);
        }
        full.scalars().forEach(b::scalar);
        b.array("extra.weight", new int[] {2, 2}, new float[4]).scalar("stray", 3);
        StateDict bad = b.build();

        Sequential target = model();
        Map<String, float[]> before = weights(target);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.restore(bad, target, null, "run/ckpt.safetensors"));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("run/ckpt.safetensors: does not fit the model: "), msg);
        int[] goneShape = m.namedParameters().get(gone).shape();
        assertTrue(msg.contains("missing \"" + gone + "\": the model has a parameter of shape "
                + java.util.Arrays.toString(goneShape)), msg);
        assertTrue(msg.contains("\"" + asInteger + "\" is an integer (I64, shape []) in the file but a float32 parameter"
                + " of shape " + java.util.Arrays.toString(m.namedParameters().get(asInteger).shape())), msg);
        assertTrue(msg.contains("unexpected \"extra.weight\" of shape [2, 2] in the file"), msg);
        assertTrue(msg.contains("unexpected integer \"stray\""), msg);
        assertUnchanged(before, target);
    }

    @Test
    void optimizerMismatchIsNamedAndChangesNothing(@TempDir Path dir) throws Exception {
        Sequential m = model();
        Optimizer sgd = optimizer("sgd", m);
        train(m, sgd, 1);
        Path file = dir.resolve("sgd.safetensors");
        Checkpoint.save(file, m, sgd, Map.of());

        Sequential target = model();
        Optimizer adam = optimizer("adam", target);
        Map<String, float[]> before = weights(target);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, target, adam));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file + ": does not fit the model and optimizer: "), msg);
        String adamKey = adam.state().keySet().iterator().next();
        assertTrue(msg.contains("missing \"optimizer." + adamKey + "\": the optimizer has a buffer of shape ["
                + adam.state().get(adamKey).length + "]"), msg);
        String sgdKey = sgd.state().keySet().iterator().next();
        if (!adam.state().containsKey(sgdKey)) {
            assertTrue(msg.contains("unexpected \"optimizer." + sgdKey + "\""), msg);
        }
        assertUnchanged(before, target);

        // optimizer state in the file but no optimizer given
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(file, target, null));
        assertTrue(none.getMessage().contains("it is optimizer state, but no optimizer was given"), none.getMessage());
    }

    private static Optimizer optimizer(String kind, Sequential m) {
        return kind.equals("sgd") ? new SGD(m.namedParameters(), 0.1f).momentum(0.9f) : new Adam(m.namedParameters(), 0.01f);
    }
}
