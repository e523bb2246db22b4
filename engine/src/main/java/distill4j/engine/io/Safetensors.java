package distill4j.engine.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Reads and writes the safetensors format (Hugging Face), byte for byte as its reference writer does:
 * <pre>
 *   [8 bytes]  N, unsigned little-endian 64-bit: the header's length
 *   [N bytes]  UTF-8 JSON header, padded with spaces so that 8 + N is a multiple of 8:
 *              {"__metadata__":{"key":"value",...},
 *               "name":{"dtype":"F32","shape":[2,3],"data_offsets":[begin,end]}, ...}
 *   [rest]     the data buffer: each tensor's little-endian bytes at [begin, end) of the buffer,
 *              laid out contiguously, without gaps, covering the buffer exactly
 * </pre>
 * The writer orders tensors like the reference (descending dtype, then name by UTF-8 bytes), writes the
 * header as compact JSON with {@code "__metadata__"} first (omitted when empty), and writes files
 * atomically (temp file in the same directory, fsync, atomic rename). The reader checks everything the
 * reference checks, and rejects duplicate names, with a {@link SafetensorsFormatException} naming the
 * file and the problem.
 *
 * <h2>Checksum</h2>
 * Every file {@link #write} writes records, in {@code "__metadata__"}, the entry
 * <pre>
 *   "distill4j.sha256": "&lt;64 lowercase hex digits&gt;"   ({@link #CHECKSUM_KEY})
 * </pre>
 * the SHA-256 of the whole data buffer (every byte after the header, i.e. all tensors' bytes in file
 * order). It is an ordinary string entry, so PyTorch / safetensors tooling reads the file as before and
 * shows the entry as metadata ({@code tools/golden/check_safetensors.py} verifies it too). It is the last
 * metadata entry; {@link #withChecksum} computes it, replacing any earlier value.
 *
 * <p>{@link #read} and {@link #parse} verify it whenever the file has it, in the same pass that reads
 * the file: a file whose tensor bytes changed after it was written, whose recorded value is damaged
 * (not 64 lowercase hex digits), or whose key has one character changed (e.g. {@code distill4j.sha257}) is
 * refused with a {@link SafetensorsFormatException} that names the file, says what is wrong and what to
 * do; nothing is modified. A file without the entry (written by PyTorch, or by distill4j before it
 * recorded checksums) is read as before: its tensor bytes cannot be checked. The checksum covers tensor
 * bytes, not the header: names, dtypes, shapes and offsets are checked for consistency with each other
 * and with the data buffer (and, when loaded into a model, against it), free-form metadata is not.
 *
 * <p>{@link #serialize} is the format alone: it lays out exactly the metadata it is given, so
 * {@code serialize(withChecksum(c))} gives the bytes {@code write} writes.
 *
 * <h2>Temporary files</h2>
 * {@link #write} writes {@code DIR/.NAME.distill4j-HHHHHHHHHHHHHHHH.tmp} (16 random hex digits) next to
 * {@code DIR/NAME} and renames it over {@code NAME}. A writer killed before the rename leaves that file
 * behind; {@link #removeStaleTemporaries} deletes such files and nothing else.
 */
public final class Safetensors {
    /** Largest header accepted, as in the reference implementation (it refuses bigger ones). */
    public static final int MAX_HEADER_BYTES = 100_000_000;

    static final String METADATA_KEY = "__metadata__";

    /** The {@code "__metadata__"} key of the SHA-256 of the data buffer (see the class comment). */
    public static final String CHECKSUM_KEY = "distill4j.sha256";

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** {@code .NAME.distill4j-<16 hex>.tmp}: what {@link #write} names its temporary files. */
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.distill4j-[0-9a-f]{16}\\.tmp");

    /** {@code .NAME.safetensors.<1 to 16 hex>.tmp}: how earlier versions of {@link #write} named them. */
    private static final Pattern LEGACY_TEMP_NAME = Pattern.compile("\\..+\\.safetensors\\.[0-9a-f]{1,16}\\.tmp");

    private Safetensors() {}

    // ================================================================ reading

    /**
     * Reads and validates a whole safetensors file, and verifies its checksum when it has one (see the
     * class comment). Every error names the file: a {@link SafetensorsFormatException} for a file that is
     * corrupt, truncated or changed, an {@link IOException} saying why for one that cannot be read.
     */
    public static SafetensorsFile read(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            // Check the declared header length against the file size before allocating anything.
            if (size >= 8) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, len, 0, source);
                checkHeaderLength(len.getLong(0), size, source);
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new SafetensorsFormatException(source, "file of " + size
                        + " bytes is too large: distill4j reads safetensors files up to 2 GiB");
            }
            ByteBuffer all = ByteBuffer.allocate((int) size);
            readFully(ch, all, 0, source);
            return parse(all.array(), source);
        } catch (SafetensorsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(source + ": cannot read the file: " + reason(e), e);
        }
    }

    /** Why an I/O operation failed, in words: never just an exception class name. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f) {
            // e.g. DirectoryNotEmptyException, which has no reason: "directory not empty"
            String why = f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()
                    .replace("Exception", "").replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase();
            return f.getOtherFile() != null ? why + " (" + f.getFile() + " -> " + f.getOtherFile() + ")" : why;
        }
        String m = e.getMessage();
        return m != null && !m.isBlank() ? m : "I/O error (" + e.getClass().getSimpleName() + ")";
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, String source) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, position + dst.position());
            if (n < 0) throw new SafetensorsFormatException(source, "file shrank while being read");
        }
    }

    /**
     * Parses a whole safetensors file held in memory, verifying its checksum when it has one;
     * {@code source} names it in error messages.
     */
    public static SafetensorsFile parse(byte[] file, String source) throws SafetensorsFormatException {
        if (file.length < 8) {
            throw new SafetensorsFormatException(source, "file is " + file.length
                    + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer le = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int n = checkHeaderLength(le.getLong(0), file.length, source);
        String json = decodeUtf8(file, 8, n, source);
        Map<String, Object> header = parseHeaderJson(json, source);

        long bufferLength = (long) file.length - 8 - n;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(e.getValue(), source);
            } else {
                entries.add(parseEntry(e.getKey(), e.getValue(), source));
            }
        }
        checkLayout(entries, bufferLength, source);
        verifyChecksum(metadata, file, 8 + n, (int) bufferLength, source);

        List<RawTensor> tensors = new ArrayList<>(entries.size());
        int dataStart = 8 + n;
        for (Entry e : entries) {
            byte[] bytes = Arrays.copyOfRange(file, dataStart + (int) e.begin, dataStart + (int) e.end);
            tensors.add(new RawTensor(e.name, e.dtype, e.shape, bytes));
        }
        return new SafetensorsFile(metadata, tensors);
    }

    /** One header entry, validated on its own (not yet against the others or the buffer). */
    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    private static int checkHeaderLength(long n, long fileSize, String source) throws SafetensorsFormatException {
        if (Long.compareUnsigned(n, fileSize - 8) > 0) {
            throw new SafetensorsFormatException(source, "header length " + Long.toUnsignedString(n)
                    + " is larger than the file: only " + (fileSize - 8) + " bytes follow the 8-byte length"
                    + " (file size " + fileSize + ")");
        }
        if (n > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(source, "header length " + n + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        return (int) n;
    }

    private static String decodeUtf8(byte[] b, int off, int len, String source) throws SafetensorsFormatException {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, off, len);
        try {
            return dec.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(source, "header is not valid UTF-8 (near header byte "
                    + (in.position() - off) + ")");
        }
    }

    private static Map<String, Object> parseHeaderJson(String json, String source) throws SafetensorsFormatException {
        Object root;
        try {
            root = Json.parse(json);
        } catch (Json.ParseException e) {
            String m = e.getMessage();
            if (m.contains("duplicate key")) {
                throw new SafetensorsFormatException(source, "header has a duplicate name, " + m);
            }
            throw new SafetensorsFormatException(source, "header is not valid JSON, " + m);
        }
        if (!(root instanceof Map<?, ?>)) {
            throw new SafetensorsFormatException(source, "header must be a JSON object, found " + kind(root));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) root;
        return map;
    }

    private static Map<String, String> parseMetadata(Object value, String source) throws SafetensorsFormatException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new SafetensorsFormatException(source, "\"__metadata__\" must be an object of strings, found "
                    + kind(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafetensorsFormatException(source, "\"__metadata__\" must map strings to strings, but \""
                        + e.getKey() + "\" is " + kind(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry parseEntry(String name, Object value, String source) throws SafetensorsFormatException {
        String where = "tensor \"" + name + "\": ";
        if (!(value instanceof Map<?, ?> info)) {
            throw new SafetensorsFormatException(source, where + "expected an object with dtype, shape and"
                    + " data_offsets, found " + kind(value));
        }
        Object dtypeValue = info.get("dtype");
        if (!(dtypeValue instanceof String dtypeName)) {
            throw new SafetensorsFormatException(source, where + (dtypeValue == null ? "missing \"dtype\""
                    : "\"dtype\" must be a string, found " + kind(dtypeValue)));
        }
        DType dtype = DType.fromHeaderName(dtypeName);
        if (dtype == null) {
            throw new SafetensorsFormatException(source, where + "unknown or unsupported dtype \"" + dtypeName
                    + "\" (distill4j reads " + Arrays.toString(DType.values()) + ")");
        }
        long[] shape = nonNegativeInts(info.get("shape"), "shape", -1, where, source);
        long[] offsets = nonNegativeInts(info.get("data_offsets"), "data_offsets", 2, where, source);
        long begin = offsets[0], end = offsets[1];
        if (end < begin) {
            throw new SafetensorsFormatException(source, where + "data_offsets [" + begin + ", " + end
                    + "] end before they begin");
        }
        long numel = RawTensor.numel(shape);
        if (numel < 0) {
            throw new SafetensorsFormatException(source, where + "shape " + Arrays.toString(shape)
                    + " has more elements than distill4j can hold (2^31 − 1)");
        }
        long nbytes = numel * dtype.byteSize();
        if (nbytes != end - begin) {
            throw new SafetensorsFormatException(source, where + "shape " + Arrays.toString(shape) + " of "
                    + dtype + " needs " + nbytes + " bytes, but data_offsets [" + begin + ", " + end + "] hold "
                    + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative integers (each ≤ 2^63 − 1), of the given length unless it is −1. */
    private static long[] nonNegativeInts(Object value, String key, int length, String where, String source)
            throws SafetensorsFormatException {
        String expected = length == 2 ? "[begin, end] with non-negative integers" : "a list of non-negative integers";
        if (value == null) throw new SafetensorsFormatException(source, where + "missing \"" + key + "\"");
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            throw new SafetensorsFormatException(source, where + "\"" + key + "\" must be " + expected + ", found "
                    + json(value));
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof BigInteger b) || b.signum() < 0 || b.bitLength() > 63) {
                throw new SafetensorsFormatException(source, where + "\"" + key + "\" must be " + expected
                        + ", found " + json(value));
            }
            out[i] = b.longValue();
        }
        return out;
    }

    /**
     * The tensors must tile the data buffer: sorted by offset, the first begins at 0, each begins where
     * the previous one ends, the last ends at the end of the buffer. Zero-size tensors fit anywhere.
     */
    private static void checkLayout(List<Entry> entries, long bufferLength, String source)
            throws SafetensorsFormatException {
        // Truncation first: it is the likeliest corruption, and "overlap" would be a confusing name for it.
        for (Entry e : entries) {
            if (e.end > bufferLength) {
                throw new SafetensorsFormatException(source, "file is truncated or offsets out of range: tensor \""
                        + e.name + "\" needs bytes [" + e.begin + ", " + e.end + ") of the data buffer, but only "
                        + bufferLength + " bytes follow the header");
            }
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < at) {
                throw new SafetensorsFormatException(source, "tensors \"" + previous.name + "\" [" + previous.begin
                        + ", " + previous.end + ") and \"" + e.name + "\" [" + e.begin + ", " + e.end + ") overlap");
            }
            if (e.begin > at) {
                throw new SafetensorsFormatException(source, "data buffer has a gap: bytes [" + at + ", " + e.begin
                        + ") belong to no tensor (" + (previous == null ? "the first tensor"
                        : "after \"" + previous.name + "\"") + ", before \"" + e.name + "\")");
            }
            at = e.end;
            previous = e;
        }
        if (at != bufferLength) {
            throw new SafetensorsFormatException(source, "tensors do not cover the data buffer: the last "
                    + (previous == null ? "of no tensors" : "tensor \"" + previous.name + "\"") + " ends at byte " + at
                    + " but the buffer has " + bufferLength + " bytes (" + (bufferLength - at) + " extra)");
        }
    }

    /**
     * Checks the recorded SHA-256 of the data buffer {@code file[from, from + length)}, if there is one.
     * A key one character away from {@link #CHECKSUM_KEY} is a damaged checksum, not user metadata: a
     * single flipped byte must not turn a checked file into an unchecked one.
     */
    private static void verifyChecksum(Map<String, String> metadata, byte[] file, int from, int length, String source)
            throws SafetensorsFormatException {
        String recorded = metadata.get(CHECKSUM_KEY);
        if (recorded == null) {
            for (String k : metadata.keySet()) {
                if (oneCharApart(k, CHECKSUM_KEY)) {
                    throw new SafetensorsFormatException(source, "the header is damaged: metadata key \"" + k
                            + "\" is the checksum key \"" + CHECKSUM_KEY + "\" with one character changed."
                            + CORRUPT_ADVICE);
                }
            }
            return;
        }
        if (!SHA256_HEX.matcher(recorded).matches()) {
            throw new SafetensorsFormatException(source, "the header is damaged: the recorded checksum \"" + CHECKSUM_KEY
                    + "\" is \"" + recorded + "\", not 64 lowercase hex digits." + CORRUPT_ADVICE);
        }
        MessageDigest md = sha256();
        md.update(file, from, length);
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(recorded)) {
            throw new SafetensorsFormatException(source, "the checksum of the tensor data does not match the one"
                    + " recorded when the file was written (\"" + CHECKSUM_KEY + "\" " + recorded + ", data "
                    + actual + "): the file was changed or corrupted after it was written." + CORRUPT_ADVICE);
        }
    }

    private static final String CORRUPT_ADVICE = " Nothing was loaded and the file was left as it is: restore it"
            + " from a copy, or delete it so that it is recomputed (a cache) or retrained (a checkpoint).";

    private static boolean oneCharApart(String a, String b) {
        if (a.length() != b.length()) return false;
        int diff = 0;
        for (int i = 0; i < a.length(); i++) if (a.charAt(i) != b.charAt(i)) diff++;
        return diff == 1;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static String kind(Object v) {
        if (v instanceof Map<?, ?>) return "an object";
        if (v instanceof List<?>) return "an array";
        if (v instanceof String) return "a string";
        if (v instanceof Number) return "the number " + v;
        return String.valueOf(v);
    }

    private static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        try {
            Json.write(sb, v);
        } catch (RuntimeException e) {
            return String.valueOf(v);
        }
        String s = sb.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    // ================================================================ writing

    /**
     * The bytes of a safetensors file holding {@code contents}, exactly as the reference writer lays them
     * out: tensors by descending dtype then by name, header compact, padded with spaces to 8 bytes. The
     * metadata is written as given: no checksum is added ({@code serialize(withChecksum(contents))} gives
     * the bytes {@link #write} writes).
     */
    public static byte[] serialize(SafetensorsFile contents) {
        List<RawTensor> order = writeOrder(contents);
        byte[] header = header(contents.metadata(), order);
        long total = 8L + header.length;
        for (RawTensor t : order) total += t.bytes().length;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors file of " + total + " bytes does not fit in a byte array;"
                    + " use Safetensors.write");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header);
        for (RawTensor t : order) out.put(t.bytes());
        return out.array();
    }

    /**
     * {@code contents} with {@link #CHECKSUM_KEY} set, as the last metadata entry, to the SHA-256 of the
     * data buffer a file of these contents has (any earlier value is replaced).
     */
    public static SafetensorsFile withChecksum(SafetensorsFile contents) {
        MessageDigest md = sha256();
        for (RawTensor t : writeOrder(contents)) md.update(t.bytes());
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        metadata.remove(CHECKSUM_KEY);
        metadata.put(CHECKSUM_KEY, HexFormat.of().formatHex(md.digest()));
        return new SafetensorsFile(metadata, contents.tensors());
    }

    /**
     * Writes {@code contents} with its checksum ({@link #withChecksum}) to {@code file} atomically: the
     * bytes go to a temporary file in the same directory ({@code .NAME.distill4j-HHHHHHHHHHHHHHHH.tmp}),
     * which is fsynced and then renamed over {@code file} in one step, so a reader (or a crash) sees either
     * the old file or the complete new one, never a partial file. I/O errors name the file and say why.
     */
    public static void write(Path file, SafetensorsFile contents) throws IOException {
        contents = withChecksum(contents);
        List<RawTensor> order = writeOrder(contents);
        byte[] header = header(contents.metadata(), order);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        FileChannel channel = null;
        // A fresh name next to the target, created like any new file (so with the usual umask permissions,
        // which Files.createTempFile would narrow to owner-only).
        while (channel == null) {
            tmp = dir.resolve(temporaryName(target.getFileName().toString(), ThreadLocalRandom.current().nextLong()));
            try {
                channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                channel = null; // astronomically unlikely; try another name
            } catch (IOException e) {
                throw new IOException(target + ": cannot write the file: cannot create a temporary file in " + dir
                        + ": " + reason(e), e);
            }
        }
        String unchanged = " (an existing file of that name is unchanged)";
        boolean moved = false;
        try {
            try (FileChannel ch = channel) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                for (RawTensor t : order) writeFully(ch, ByteBuffer.wrap(t.bytes()));
                ch.force(true);
            } catch (IOException e) {
                throw new IOException(target + ": cannot write the file: writing " + tmp + " failed: " + reason(e)
                        + unchanged, e);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": cannot write the file atomically: the file system does not support"
                        + " an atomic rename from " + tmp + unchanged, e);
            } catch (IOException e) {
                throw new IOException(target + ": cannot write the file: renaming " + tmp + " over it failed: "
                        + reason(e) + unchanged, e);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) deleteQuietly(tmp);
        }
    }

    // Cleanup after a failed write: the write's own error is the one to report.
    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // removeStaleTemporaries deletes it later
        }
    }

    static String temporaryName(String target, long random) {
        return "." + target + ".distill4j-" + String.format("%016x", random) + ".tmp";
    }

    /** Whether {@code fileName} is the name of a temporary file of {@link #write} (or of its earlier versions). */
    public static boolean isTemporaryName(String fileName) {
        return TEMP_NAME.matcher(fileName).matches() || LEGACY_TEMP_NAME.matcher(fileName).matches();
    }

    /**
     * Deletes the temporary files that writers killed before their rename left in {@code dir} and its
     * subdirectories (recursively; symbolic links are not followed): regular files named as
     * {@link #write} names them, {@code .NAME.distill4j-HHHHHHHHHHHHHHHH.tmp}, and as earlier versions did,
     * {@code .NAME.safetensors.H….tmp} (1 to 16 hex digits). Nothing else is touched. Call it only while no
     * other process writes under {@code dir}: a live writer's temporary file looks the same.
     *
     * @return the files deleted, in the order visited; empty when {@code dir} does not exist
     */
    public static List<Path> removeStaleTemporaries(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return removed;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && isTemporaryName(f.getFileName().toString())) {
                    try {
                        if (Files.deleteIfExists(f)) removed.add(f);
                    } catch (IOException e) {
                        throw new IOException(f + ": cannot delete this stale temporary file: " + reason(e), e);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                throw new IOException(f + ": cannot look for stale temporary files here: " + reason(e), e);
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) throw new IOException(d + ": cannot look for stale temporary files here: " + reason(e), e);
                return FileVisitResult.CONTINUE;
            }
        });
        return removed;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    // Makes the rename itself durable. POSIX allows fsync on a directory; some platforms (Windows)
    // refuse to open one, where the rename is as durable as the OS makes it anyway.
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort, see above
        }
    }

    private static List<RawTensor> writeOrder(SafetensorsFile contents) {
        Set<String> seen = new HashSet<>();
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder();
        for (RawTensor t : contents.tensors()) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("duplicate tensor name \"" + t.name() + "\"");
            }
            if (t.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("\"" + METADATA_KEY + "\" is reserved and cannot name a tensor");
            }
            if (!enc.canEncode(t.name())) {
                throw new IllegalArgumentException("tensor name \"" + t.name() + "\" is not valid Unicode");
            }
        }
        for (Map.Entry<String, String> e : contents.metadata().entrySet()) {
            if (e.getKey() == null || e.getValue() == null || !enc.canEncode(e.getKey()) || !enc.canEncode(e.getValue())) {
                throw new IllegalArgumentException("metadata entry " + e.getKey() + " = " + e.getValue()
                        + " is not a pair of valid Unicode strings");
            }
        }
        List<RawTensor> order = new ArrayList<>(contents.tensors());
        // Reference order: descending dtype (8-byte types first keeps them aligned), then name in
        // UTF-8 byte order (Rust's str ordering).
        order.sort(Comparator.comparing(RawTensor::dtype, Comparator.reverseOrder())
                .thenComparing((a, b) -> Arrays.compareUnsigned(
                        a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8))));
        return order;
    }

    private static byte[] header(Map<String, String> metadata, List<RawTensor> order) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (!metadata.isEmpty()) root.put(METADATA_KEY, new LinkedHashMap<>(metadata));
        long offset = 0;
        for (RawTensor t : order) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().name());
            List<Object> shape = new ArrayList<>();
            for (long d : t.shape()) shape.add(d);
            info.put("shape", shape);
            long end = offset + t.bytes().length;
            info.put("data_offsets", List.of(offset, end));
            root.put(t.name(), info);
            offset = end;
        }
        StringBuilder sb = new StringBuilder();
        Json.write(sb, root);
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors header of " + padded + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES);
        }
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }
}
