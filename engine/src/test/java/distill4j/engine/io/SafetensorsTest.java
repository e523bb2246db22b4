package distill4j.engine.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir Path dir;

    // ---------------------------------------------------------------- helpers

    /** A file from a hand-written header (padded with spaces to 8 bytes) and {@code dataBytes} bytes of data. */
    static byte[] craft(String headerJson, int dataBytes) {
        byte[] h = headerJson.getBytes(UTF_8);
        int n = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + n + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).put(h);
        while (b.position() < 8 + n) b.put((byte) ' ');
        for (int i = 0; i < dataBytes; i++) b.put((byte) i);
        return b.array();
    }

    static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    /** Parsing must fail with a SafetensorsFormatException naming the source and containing {@code expected}. */
    static SafetensorsFormatException assertCorrupt(byte[] file, String expected) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                () -> Safetensors.parse(file, "corrupt.safetensors"));
        assertTrue(e.getMessage().startsWith("corrupt.safetensors: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
        return e;
    }

    static SafetensorsFile sample() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        return new SafetensorsFile(meta, List.of(
                RawTensor.ofFloats("w", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                RawTensor.ofFloats("b", new int[] {3}, new float[] {-1, 0, 1}),
                RawTensor.ofLongs("step", new int[0], new long[] {42})));
    }

    private static String headerOf(byte[] file) {
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return new String(file, 8, (int) n, UTF_8);
    }

    /** Replaces the only occurrence of {@code from} in the header by {@code to} (same byte length). */
    static byte[] editHeader(byte[] file, String from, String to) {
        assertEquals(from.getBytes(UTF_8).length, to.getBytes(UTF_8).length, "edit must keep the header length");
        String h = headerOf(file);
        int at = h.indexOf(from);
        assertTrue(at >= 0 && h.indexOf(from, at + 1) < 0, "\"" + from + "\" must occur once in " + h);
        byte[] out = file.clone();
        byte[] rep = h.replace(from, to).getBytes(UTF_8);
        System.arraycopy(rep, 0, out, 8, rep.length);
        return out;
    }

    // ---------------------------------------------------------------- the reference writer's exact bytes

    @Test
    void emptyFileIsBracesPaddedToEightBytes() throws Exception {
        byte[] out = Safetensors.serialize(new SafetensorsFile(Map.of(), List.of()));
        assertArrayEquals(craft("{}", 0), out);
        assertEquals(16, out.length);
        assertEquals(8, out[0]);
        assertEquals(0, Safetensors.parse(out, "empty").tensors().size());
    }

    @Test
    void metadataOnlyFileMatchesTheReferenceLayout() {
        byte[] out = Safetensors.serialize(new SafetensorsFile(Map.of("framework", "pt"), List.of()));
        // {"__metadata__":{"framework":"pt"}} is 35 bytes → padded to 40
        assertEquals(40, out[0]);
        assertEquals("{\"__metadata__\":{\"framework\":\"pt\"}}     ", headerOf(out));
    }

    @Test
    void singleTensorMatchesTheReferenceLayout() throws Exception {
        float[] v = {0, 1, 2, 3, 4, 5};
        byte[] out = Safetensors.serialize(new SafetensorsFile(Map.of(),
                List.of(RawTensor.ofFloats("attn0", new int[] {1, 1, 2, 3}, v))));
        String header = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(65, header.length());
        assertEquals(header + "       ", headerOf(out), "65 bytes padded with 7 spaces to 72");
        assertEquals(8 + 72 + 24, out.length);
        ByteBuffer data = ByteBuffer.wrap(out, 80, 24).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) assertEquals(Float.floatToRawIntBits(x), data.getInt(), "little-endian float " + x);
        // already a multiple of 8: no padding
        byte[] out2 = Safetensors.serialize(new SafetensorsFile(Map.of(),
                List.of(RawTensor.ofFloats("attn.0", new int[] {1, 2, 3}, v))));
        assertEquals(64, out2[0]);
        assertEquals("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", headerOf(out2));
    }

    @Test
    void tensorsAreOrderedByDescendingDtypeThenUtf8Name() throws Exception {
        List<RawTensor> in = List.of(
                RawTensor.ofFloats("b", new int[] {1}, new float[] {1}),
                RawTensor.ofFloats("a", new int[] {1}, new float[] {2}),
                RawTensor.ofDoubles("z", new int[] {1}, new double[] {3}),
                RawTensor.ofLongs("y", new int[] {1}, new long[] {4}),
                RawTensor.ofFloats("\uFF21", new int[] {1}, new float[] {5}),   // U+FF21: UTF-8 sorts it after
                RawTensor.ofFloats("\uD83D\uDE00", new int[] {1}, new float[] {6})); // U+1F600 (UTF-16 would not)
        SafetensorsFile back = Safetensors.parse(Safetensors.serialize(new SafetensorsFile(Map.of(), in)), "order");
        List<String> names = back.tensors().stream().map(RawTensor::name).toList();
        assertEquals(List.of("y", "z", "a", "b", "\uFF21", "\uD83D\uDE00"), names);
        for (RawTensor t : in) assertEquals(t, back.tensor(t.name()));
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void randomFilesRoundTripThroughDisk() throws Exception {
        long seed = 20241122L;
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 40; trial++) {
            List<RawTensor> tensors = new ArrayList<>();
            int count = rnd.nextInt(6);
            for (int k = 0; k < count; k++) {
                int[] shape = new int[rnd.nextInt(4)];
                int n = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = rnd.nextInt(5); // includes 0-sized dimensions
                    n *= shape[d];
                }
                String name = "t" + k + (rnd.nextBoolean() ? ".weight" : "/ü");
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        float[] v = new float[n];
                        for (int i = 0; i < n; i++) v[i] = Float.intBitsToFloat(rnd.nextInt()); // any bits, NaNs too
                        tensors.add(RawTensor.ofFloats(name, shape, v));
                    }
                    case 1 -> {
                        double[] v = new double[n];
                        for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian() * 1e10;
                        tensors.add(RawTensor.ofDoubles(name, shape, v));
                    }
                    default -> {
                        long[] v = new long[n];
                        for (int i = 0; i < n; i++) v[i] = rnd.nextLong();
                        tensors.add(RawTensor.ofLongs(name, shape, v));
                    }
                }
            }
            Map<String, String> meta = new LinkedHashMap<>();
            if (rnd.nextBoolean()) meta.put("epoch", Integer.toString(trial));
            SafetensorsFile in = new SafetensorsFile(meta, tensors);
            Path f = dir.resolve("rt" + trial + ".safetensors");
            Safetensors.write(f, in);
            byte[] bytes = Files.readAllBytes(f);
            assertArrayEquals(Safetensors.serialize(Safetensors.withChecksum(in)), bytes,
                    "write and serialize agree (seed " + seed + ")");
            assertEquals(0, (8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0)) % 8,
                    "data starts 8-byte aligned");
            SafetensorsFile back = Safetensors.read(f);
            Map<String, String> withoutChecksum = new LinkedHashMap<>(back.metadata());
            assertTrue(withoutChecksum.remove(Safetensors.CHECKSUM_KEY) != null, "the file records its checksum");
            assertEquals(meta, withoutChecksum);
            assertEquals(tensors.size(), back.tensors().size());
            for (RawTensor t : tensors) {
                assertEquals(t, back.tensor(t.name()), t + " trial " + trial + " seed " + seed);
            }
            assertArrayEquals(bytes, Safetensors.serialize(back), "re-serializing what was read gives the same bytes");
        }
    }

    @Test
    void typedViewsDecodeAndNarrow() {
        RawTensor d = RawTensor.ofDoubles("d", new int[] {3}, new double[] {1.0 / 3, -0.0, 1e300});
        assertArrayEquals(new float[] {(float) (1.0 / 3), -0f, Float.POSITIVE_INFINITY}, d.toFloats());
        assertArrayEquals(new double[] {1.0 / 3, -0.0, 1e300}, d.toDoubles());
        RawTensor f = RawTensor.ofFloats("f", new int[] {2}, new float[] {0.1f, -7f});
        assertArrayEquals(new double[] {0.1f, -7.0}, f.toDoubles());
        assertThrows(IllegalStateException.class, f::toLongs);
        RawTensor l = RawTensor.ofLongs("l", new int[] {2}, new long[] {Long.MIN_VALUE, 5});
        assertArrayEquals(new long[] {Long.MIN_VALUE, 5}, l.toLongs());
        IllegalStateException e = assertThrows(IllegalStateException.class, l::toFloats);
        assertTrue(e.getMessage().contains("\"l\" is I64"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new RawTensor("x", DType.F32, new long[] {2, 2}, new byte[12]));
        assertTrue(bad.getMessage().contains("needs 16 bytes but 12"), bad.getMessage());
    }

    @Test
    void readerAcceptsWhitespacePaddingOnBothSidesLikeTheReference() throws Exception {
        String body = "{" + tensor("a", "F32", "[2]", 0, 8) + "}";
        for (String padded : new String[] {"\t\n" + body, body + "\r\n\t ", " " + body + " "}) {
            SafetensorsFile f = Safetensors.parse(craft(padded, 8), "ws");
            assertEquals(2, f.tensor("a").numel());
        }
        // zero-sized tensors take no bytes and may sit anywhere in the buffer
        SafetensorsFile z = Safetensors.parse(craft("{" + tensor("e", "I64", "[2,0]", 8, 8) + ","
                + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("s", "F64", "[]", 8, 16) + "}", 16), "zero");
        assertEquals(0, z.tensor("e").numel());
        assertEquals(1, z.tensor("s").numel());
        assertEquals(List.of("e", "a", "s"), z.tensors().stream().map(RawTensor::name).toList(), "header order kept");
    }

    // ---------------------------------------------------------------- atomic writes

    @Test
    void writeReplacesTheTargetAtomicallyAndLeavesNoTempFiles() throws Exception {
        Path f = dir.resolve("model.safetensors");
        Safetensors.write(f, sample());
        SafetensorsFile second = new SafetensorsFile(Map.of(), List.of(RawTensor.ofFloats("x", new int[] {1}, new float[] {9})));
        Safetensors.write(f, second);
        assertEquals(Safetensors.withChecksum(second), Safetensors.read(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "only the target remains");
        }
    }

    @Test
    void writtenFileHasTheSamePermissionsAsAnyNewFile() throws Exception {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path plain = Files.write(dir.resolve("plain"), new byte[1]);
        Path f = dir.resolve("perm.safetensors");
        Safetensors.write(f, sample());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f),
                "not narrowed to owner-only like a temp file");
    }

    @Test
    void failedWriteLeavesTheOldFileIntact() throws Exception {
        Path f = dir.resolve("model.safetensors");
        Safetensors.write(f, sample());
        byte[] before = Files.readAllBytes(f);
        SafetensorsFile dup = new SafetensorsFile(Map.of(), List.of(
                RawTensor.ofFloats("x", new int[] {1}, new float[] {1}), RawTensor.ofFloats("x", new int[] {1}, new float[] {2})));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(f, dup));
        assertTrue(e.getMessage().contains("duplicate tensor name \"x\""), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        // the target is a directory: the rename fails after the temp file was written; it must be cleaned up
        Path asDir = Files.createDirectory(dir.resolve("taken"));
        Files.writeString(asDir.resolve("inside"), "x");
        assertThrows(IOException.class, () -> Safetensors.write(asDir, sample()));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temp file left next to the target");
        }
    }

    @Test
    void writerRejectsReservedAndInvalidNames() {
        assertThrows(IllegalArgumentException.class, () -> Safetensors.serialize(new SafetensorsFile(Map.of(),
                List.of(RawTensor.ofFloats("__metadata__", new int[] {1}, new float[] {1})))));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.serialize(new SafetensorsFile(Map.of(),
                List.of(RawTensor.ofFloats("bad\uD800", new int[] {1}, new float[] {1})))));
    }

    // ---------------------------------------------------------------- corrupt and truncated files

    @Test
    void tooShortForTheLength() throws Exception {
        byte[] good = Safetensors.serialize(sample());
        assertCorrupt(Arrays.copyOf(good, 5), "5 bytes, too short for the 8-byte header length");
        assertCorrupt(new byte[0], "0 bytes");
        Path f = dir.resolve("short.safetensors");
        Files.write(f, Arrays.copyOf(good, 3));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), "names the file: " + e.getMessage());
    }

    @Test
    void headerLengthLargerThanTheFile() throws Exception {
        byte[] good = Safetensors.serialize(sample());
        byte[] bad = good.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0, good.length);
        assertCorrupt(bad, "header length " + good.length + " is larger than the file");
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -2L); // 2^64 − 2 unsigned
        assertCorrupt(bad, "header length 18446744073709551614 is larger than the file");
        // the same through a file: refused before reading the rest
        Path f = dir.resolve("hugeheader.safetensors");
        Files.write(f, bad);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("larger than the file"), e.getMessage());
        // truncated in the middle of the header
        assertCorrupt(Arrays.copyOf(good, 20), "is larger than the file");
    }

    @Test
    void invalidJson() {
        byte[] good = Safetensors.serialize(sample());
        assertCorrupt(editHeader(good, "\"dtype\":\"I64\"", "\"dtype\" \"I64\""), "header is not valid JSON, at character");
        assertCorrupt(editHeader(good, "{\"__metadata__\"", "[\"__metadata__\""), "header is not valid JSON");
        assertCorrupt(craft("[1,2]", 0), "header must be a JSON object, found an array");
        assertCorrupt(craft("", 0), "header is not valid JSON");
        // a header cut short by a smaller length: the JSON ends early
        byte[] cut = good.clone();
        long n = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n - 16);
        assertCorrupt(cut, "header is not valid JSON");
    }

    @Test
    void invalidUtf8InTheHeader() {
        byte[] good = Safetensors.serialize(sample());
        byte[] bad = good.clone();
        int at = headerOf(good).indexOf("\"w\"") + 1; // the name byte 'w'
        bad[8 + at] = (byte) 0xFF;
        assertCorrupt(bad, "header is not valid UTF-8");
    }

    @Test
    void unknownOrUnsupportedDtype() {
        byte[] good = Safetensors.serialize(sample());
        assertCorrupt(editHeader(good, "\"I64\"", "\"I65\""), "tensor \"step\": unknown or unsupported dtype \"I65\"");
        assertCorrupt(craft("{" + tensor("h", "F16", "[2]", 0, 4) + "}", 4), "unsupported dtype \"F16\"");
        assertCorrupt(craft("{\"h\":{\"dtype\":5,\"shape\":[],\"data_offsets\":[0,4]}}", 4), "\"dtype\" must be a string");
        assertCorrupt(craft("{\"h\":{\"shape\":[],\"data_offsets\":[0,4]}}", 4), "tensor \"h\": missing \"dtype\"");
    }

    @Test
    void badShapesAndOffsets() {
        assertCorrupt(craft("{" + tensor("a", "F32", "[2,-1]", 0, 8) + "}", 8), "\"shape\" must be a list of non-negative");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2.0]", 0, 8) + "}", 8), "\"shape\" must be a list of non-negative");
        assertCorrupt(craft("{" + tensor("a", "F32", "2", 0, 8) + "}", 8), "found 2");
        assertCorrupt(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "tensor \"a\": missing \"data_offsets\"");
        assertCorrupt(craft("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", 8), "[begin, end]");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2]", 8, 0) + "}", 8), "data_offsets [8, 0] end before they begin");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2]", 0, 99999999999999999L) + "}", 8), "needs 8 bytes");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2,18446744073709551614]", 0, 16) + "}", 16), "non-negative integers");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2,9223372036854775807]", 0, 16) + "}", 16), "more elements than");
        assertCorrupt(craft("{\"a\":[1]}", 0), "tensor \"a\": expected an object");
        assertCorrupt(craft("{\"__metadata__\":{\"k\":1}}", 0), "\"__metadata__\" must map strings to strings, but \"k\"");
        assertCorrupt(craft("{\"__metadata__\":[]}", 0), "\"__metadata__\" must be an object");
    }

    @Test
    void shapeTimesDtypeSizeDiffersFromTheByteRange() {
        assertCorrupt(craft("{" + tensor("a", "F32", "[3]", 0, 8) + "}", 8),
                "tensor \"a\": shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] hold 8");
        byte[] good = Safetensors.serialize(sample());
        assertCorrupt(editHeader(good, "\"shape\":[2,3]", "\"shape\":[3,3]"), "shape [3, 3] of F32 needs 36 bytes");
        assertCorrupt(editHeader(good, "\"I64\"", "\"F32\""), "shape [] of F32 needs 4 bytes, but data_offsets [0, 8] hold 8");
    }

    @Test
    void offsetsOutOfRangeOverlappingOrNotCoveringTheBuffer() {
        assertCorrupt(craft("{" + tensor("a", "F32", "[2]", 8, 16) + "}", 8),
                "tensor \"a\" needs bytes [8, 16) of the data buffer, but only 8 bytes follow the header");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 4, 12) + "}", 12),
                "tensors \"a\" [0, 8) and \"b\" [4, 12) overlap");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 0, 8) + "}", 8),
                "overlap");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 12, 20) + "}", 20),
                "gap: bytes [8, 12) belong to no tensor (after \"a\", before \"b\")");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2]", 4, 12) + "}", 12), "gap: bytes [0, 4) belong to no tensor");
        assertCorrupt(craft("{" + tensor("a", "F32", "[2]", 0, 8) + "}", 12),
                "do not cover the data buffer: the last tensor \"a\" ends at byte 8 but the buffer has 12 bytes (4 extra)");
        assertCorrupt(craft("{}", 3), "3 extra");
        // the reference's polyglot-file test: valid file plus trailing bytes
        byte[] good = Safetensors.serialize(sample());
        byte[] extra = Arrays.copyOf(good, good.length + 5);
        assertCorrupt(extra, "(5 extra)");
    }

    @Test
    void fileShorterThanDeclared() throws Exception {
        byte[] good = Safetensors.serialize(sample());
        assertCorrupt(Arrays.copyOf(good, good.length - 1), "file is truncated or offsets out of range");
        Path f = dir.resolve("cut.safetensors");
        Files.write(f, Arrays.copyOf(good, good.length - 20));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(f));
        assertEquals(f.toString(), e.source());
        assertTrue(e.problem().startsWith("file is truncated"), e.getMessage());
    }

    @Test
    void duplicateNames() {
        assertCorrupt(craft("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", 8),
                "header has a duplicate name, at character");
        assertCorrupt(craft("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}", 8),
                "duplicate key \"a\"");
    }

    /** Every truncation and every single-bit flip of a valid file either parses or is a format error. */
    @Test
    void everyTruncationAndBitFlipFailsCleanly() {
        byte[] good = Safetensors.serialize(sample());
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            assertThrows(SafetensorsFormatException.class, () -> Safetensors.parse(cut, "cut"), "length " + len);
        }
        int parsed = 0, rejected = 0;
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = good.clone();
                flipped[i] ^= (byte) (1 << bit);
                try {
                    Safetensors.parse(flipped, "flip");
                    parsed++;
                } catch (SafetensorsFormatException e) {
                    rejected++;
                } catch (RuntimeException e) {
                    fail("byte " + i + " bit " + bit + ": " + e, e);
                }
            }
        }
        // data-byte flips still parse; header damage is mostly caught
        assertTrue(parsed >= 8 * (good.length - 8 - (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(0)),
                "flips of data bytes parse");
        assertTrue(rejected > 0);
    }

    @Test
    void lookupOfAMissingTensorIsNull() {
        assertNull(sample().tensor("nope"));
        assertFalse(sample().metadata().isEmpty());
    }
}
