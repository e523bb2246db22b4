package distill4j.engine.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checksum every written file records ({@link Safetensors#CHECKSUM_KEY}): what it covers, that any
 * change to the tensor data or to the checksum itself is refused with a message naming the file, that
 * files without one still load, and the clean-up of a killed writer's temporary files.
 */
class IntegrityTest {
    @TempDir Path dir;

    static final long SEED = 1717L;

    /** A state of a few hundred bytes of arbitrary float bits (NaN payloads, −0, subnormals) and integers. */
    static StateDict state() {
        Random rnd = new Random(SEED);
        float[] w = new float[4 * 7];
        for (int i = 0; i < w.length; i++) w[i] = Float.intBitsToFloat(rnd.nextInt());
        float[] b = {-0f, Float.NaN, Float.intBitsToFloat(0x7fc0_1234), Float.MIN_VALUE};
        return StateDict.builder().array("fc.weight", new int[] {4, 7}, w).array("fc.bias", new int[] {4}, b)
                .scalar("counter.epoch", 12).metadata("config", "{\"lr\":0.1}").build();
    }

    static int dataStart(byte[] file) {
        return 8 + (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    static String header(byte[] file) {
        return new String(file, 8, dataStart(file) - 8, UTF_8);
    }

    private Path written() throws IOException {
        Path f = dir.resolve("model.safetensors");
        state().write(f);
        return f;
    }

    /** Loading must fail with a format error that names the file and contains every {@code expected} part. */
    static SafetensorsFormatException assertRefused(Path f, String... expected) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> StateDict.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), "names the file: " + e.getMessage());
        for (String s : expected) assertTrue(e.getMessage().contains(s), "expected \"" + s + "\" in: " + e.getMessage());
        return e;
    }

    // ---------------------------------------------------------------- the format

    @Test
    void checksumIsTheSha256OfTheDataBufferAsTheLastMetadataString() throws Exception {
        byte[] file = Files.readAllBytes(written());
        int from = dataStart(file);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(file, from, file.length - from);
        String expected = HexFormat.of().formatHex(md.digest());
        assertTrue(header(file).startsWith("{\"__metadata__\":{\"config\":\"{\\\"lr\\\":0.1}\",\"distill4j.sha256\":\""
                + expected + "\"},"), header(file));
        SafetensorsFile raw = Safetensors.read(dir.resolve("model.safetensors"));
        assertEquals(expected, raw.metadata().get(Safetensors.CHECKSUM_KEY), "raw access shows the file's entry");
        assertEquals(List.of("config", Safetensors.CHECKSUM_KEY), List.copyOf(raw.metadata().keySet()));
        // a stale value given by the caller is replaced, not written
        SafetensorsFile stale = new SafetensorsFile(java.util.Map.of(Safetensors.CHECKSUM_KEY, "0".repeat(64)),
                state().toSafetensors().tensors());
        Path g = dir.resolve("stale.safetensors");
        Safetensors.write(g, stale);
        assertEquals(expected, Safetensors.read(g).metadata().get(Safetensors.CHECKSUM_KEY));
    }

    @Test
    void roundTripIsBitExactAndTheChecksumStaysOutOfTheState() throws Exception {
        Path f = written();
        StateDict back = StateDict.read(f);
        assertEquals(state(), back, "bitwise, NaN payloads and −0 included (seed " + SEED + ")");
        assertFalse(back.metadata().containsKey(Safetensors.CHECKSUM_KEY));
        Path g = dir.resolve("again.safetensors");
        back.write(g);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g), "writing what was read gives the same bytes");
    }

    // ---------------------------------------------------------------- changed files are refused

    @Test
    void flippedTensorByteIsRefusedNamingTheFileAndTheFix() throws Exception {
        Path f = written();
        byte[] good = Files.readAllBytes(f);
        int from = dataStart(good);
        for (int i = from; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            Files.write(f, bad);
            SafetensorsFormatException e = assertRefused(f, "checksum of the tensor data does not match",
                    "changed or corrupted after it was written", "restore it", "delete it");
            assertEquals(f.toString(), e.source());
            assertArrayEquals(bad, Files.readAllBytes(f), "the file is left as it is");
        }
    }

    /** Every single-bit flip of the checksum's key or value is refused: none turns the file into an unchecked one. */
    @Test
    void everyBitFlipOfTheRecordedChecksumIsRefused() throws Exception {
        Path f = written();
        byte[] good = Files.readAllBytes(f);
        String h = header(good);
        int keyAt = 8 + h.indexOf("\"" + Safetensors.CHECKSUM_KEY + "\"") + 1;
        int end = 8 + h.indexOf("\"}", keyAt - 8);
        assertEquals(Safetensors.CHECKSUM_KEY.length() + 3 + 64, end - keyAt, "key\":\"value");
        for (int i = keyAt; i < end; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                try {
                    Safetensors.parse(bad, "flip.safetensors");
                    fail("header byte " + (i - 8) + " bit " + bit + " was accepted: " + header(bad));
                } catch (SafetensorsFormatException e) {
                    assertTrue(e.getMessage().startsWith("flip.safetensors: "), e.getMessage());
                }
            }
        }
        byte[] value = good.clone();
        value[end - 1] = (byte) (value[end - 1] == 'a' ? 'b' : 'a');
        Files.write(f, value);
        assertRefused(f, "checksum of the tensor data does not match");
        byte[] upper = good.clone();
        for (int i = end - 64; i < end; i++) upper[i] = (byte) Character.toUpperCase(upper[i]);
        Files.write(f, upper);
        assertRefused(f, "header is damaged", "not 64 lowercase hex digits");
        byte[] key = good.clone();
        key[keyAt + Safetensors.CHECKSUM_KEY.length() - 1] = '7'; // distill4j.sha257
        Files.write(f, key);
        assertRefused(f, "header is damaged", "\"distill4j.sha257\" is the checksum key");
    }

    @Test
    void truncatedFileIsAClearErrorNamingTheFile() throws Exception {
        Path f = written();
        byte[] good = Files.readAllBytes(f);
        for (int len : new int[] {0, 5, 40, dataStart(good), good.length - 1}) {
            Files.write(f, java.util.Arrays.copyOf(good, len));
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> StateDict.read(f));
            assertEquals(f.toString(), e.source(), "length " + len);
            assertTrue(e.problem().contains("truncated") || e.problem().contains("too short")
                    || e.problem().contains("larger than the file"), "length " + len + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- files without a checksum

    @Test
    void pytorchWrittenFileWithoutAChecksumStillLoads() throws Exception {
        Path f = dir.resolve("pytorch_golden.safetensors");
        Files.write(f, SafetensorsInteropTest.resource("pytorch_golden.safetensors"));
        assertFalse(Safetensors.read(f).metadata().containsKey(Safetensors.CHECKSUM_KEY));
        StateDict s = StateDict.read(f);
        assertEquals(7L, s.scalar("optimizer.step"));
        // an older distill4j file: the same contents written without the entry
        Path old = dir.resolve("old.safetensors");
        Files.write(old, Safetensors.serialize(state().toSafetensors()));
        assertEquals(state(), StateDict.read(old));
        // once rewritten it has one
        StateDict.read(old).write(old);
        assertTrue(Safetensors.read(old).metadata().containsKey(Safetensors.CHECKSUM_KEY));
    }

    // ---------------------------------------------------------------- I/O errors name the file

    @Test
    void ioErrorsNameTheFileAndTheReason() throws Exception {
        Path missing = dir.resolve("nope.safetensors");
        IOException e = assertThrows(IOException.class, () -> StateDict.read(missing));
        assertEquals(missing + ": cannot read the file: no such file", e.getMessage());
        Path inMissingDir = dir.resolve("no-such-dir").resolve("m.safetensors");
        IOException w = assertThrows(IOException.class, () -> state().write(inMissingDir));
        assertTrue(w.getMessage().startsWith(inMissingDir.toAbsolutePath() + ": cannot write the file: "), w.getMessage());
        assertTrue(w.getMessage().contains("no such file"), w.getMessage());
        IOException d = assertThrows(IOException.class, () -> StateDict.read(dir));
        assertTrue(d.getMessage().startsWith(dir + ": "), d.getMessage());
        Path taken = Files.createDirectory(dir.resolve("taken.safetensors"));
        Files.writeString(taken.resolve("inside"), "x");
        IOException r = assertThrows(IOException.class, () -> state().write(taken));
        assertTrue(r.getMessage().startsWith(taken.toAbsolutePath() + ": cannot write the file: renaming "), r.getMessage());
        assertTrue(r.getMessage().endsWith("(an existing file of that name is unchanged)"), r.getMessage());
        for (IOException x : List.of(e, w, d, r)) {
            assertFalse(x.getMessage().contains("Exception"), "no bare exception class: " + x.getMessage());
        }
    }

    // ---------------------------------------------------------------- temporaries of killed writers

    @Test
    void temporaryNamesAreRecognised() {
        Random rnd = new Random(SEED);
        for (long r : new long[] {0, -1, 1, Long.MIN_VALUE, rnd.nextLong()}) {
            String t = Safetensors.temporaryName("model.safetensors", r);
            assertTrue(Safetensors.isTemporaryName(t), t);
            assertTrue(t.matches("\\.model\\.safetensors\\.distill4j-[0-9a-f]{16}\\.tmp"), t);
        }
        assertTrue(Safetensors.isTemporaryName(".model.safetensors.1a2b3c.tmp"), "earlier versions' names");
        for (String other : new String[] {"model.safetensors", ".model.safetensors.tmp", "notes.tmp", "x.tmp",
            "model.safetensors.distill4j-0123456789abcdef.tmp", ".m.distill4j-0123456789abcde.tmp",
            ".m.distill4j-0123456789ABCDEF.tmp", ".m.distill4j-0123456789abcdef.tmp.bak", ".m.json.1a2b.tmp",
            ".model.safetensors.xyz.tmp", ".model.safetensors.0123456789abcdef0.tmp"}) {
            assertFalse(Safetensors.isTemporaryName(other), other);
        }
    }

    @Test
    void removeStaleTemporariesDeletesOnlyTheWritersTemporaries() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("models").resolve("abc123"));
        Set<Path> temps = new TreeSet<>(List.of(
                dir.resolve(Safetensors.temporaryName("cache.safetensors", 42)),
                sub.resolve(Safetensors.temporaryName("checkpoint.safetensors", -7)),
                sub.resolve(".checkpoint.safetensors.9f3a.tmp")));
        List<Path> others = new ArrayList<>(List.of(
                sub.resolve("checkpoint.safetensors"), dir.resolve("report.json.tmp"), dir.resolve("notes.tmp"),
                dir.resolve(".hidden"), sub.resolve("checkpoint.safetensors.distill4j-0123456789abcdef.tmp"),
                dir.resolve(".report.json.1a2b.tmp")));
        for (Path p : temps) Files.writeString(p, "partial");
        for (Path p : others) Files.writeString(p, "keep");
        Path tempNamedDir = Files.createDirectory(dir.resolve(Safetensors.temporaryName("d.safetensors", 1)));
        state().write(sub.resolve("checkpoint.safetensors"));

        List<Path> removed = Checkpoint.removeStaleTemporaries(dir);
        assertEquals(temps, new TreeSet<>(removed));
        for (Path p : temps) assertFalse(Files.exists(p), p.toString());
        for (Path p : others) assertTrue(Files.exists(p), p + " kept");
        assertTrue(Files.isDirectory(tempNamedDir), "directories are never deleted");
        assertEquals(state(), StateDict.read(sub.resolve("checkpoint.safetensors")));
        assertEquals(List.of(), Checkpoint.removeStaleTemporaries(dir), "nothing left to remove");
        assertEquals(List.of(), Checkpoint.removeStaleTemporaries(dir.resolve("absent")), "a missing directory has none");
    }

    /** Stands in for distill4j.engine.Checkpoint, which lives outside this package. */
    private static final class Checkpoint {
        static List<Path> removeStaleTemporaries(Path dir) throws IOException {
            return distill4j.engine.Checkpoint.removeStaleTemporaries(dir);
        }
    }
}
