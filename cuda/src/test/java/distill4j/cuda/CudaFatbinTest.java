package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed fatbin is the compilation of the committed kernel source, for the promised targets. */
class CudaFatbinTest {
    static final Path SOURCE = Path.of(System.getProperty("distill4j.cuda.src", "src/main/cuda"), "distill4j_kernels.cu");
    static final int FATBIN_MAGIC = 0xBA55ED50;

    @Test
    void fatbinWasRegeneratedForTheCurrentKernelSource() throws IOException, NoSuchAlgorithmException {
        // every *.cu and *.cuh beside the unity file, concatenated in file-name order (as build-fatbin.sh)
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCE.getParent())) {
            sources = files.filter(f -> f.getFileName().toString().endsWith(".cu") || f.getFileName().toString().endsWith(".cuh"))
                    .sorted(Comparator.comparing(f -> f.getFileName().toString())).collect(Collectors.toList());
        }
        assertTrue(sources.contains(SOURCE), SOURCE + " is missing");
        for (Path f : sources) sha.update(Files.readAllBytes(f));
        String actual = HexFormat.of().formatHex(sha.digest());
        String recorded;
        try (InputStream in = CudaFatbinTest.class.getResourceAsStream("/distill4j/cuda/distill4j_kernels.cu.sha256")) {
            recorded = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        assertEquals(recorded, actual, "the kernel sources " + sources + " changed but the committed fatbin was not regenerated: run "
                + "cuda/build-fatbin.sh (needs nvcc) and commit src/main/resources/distill4j/cuda/");
    }

    /**
     * Walks the fatbin's entries (header: magic, version, header size, payload size; each entry: kind
     * 1 = PTX / 2 = ELF, header size, payload size, …, SM version at byte 28) and lists what it holds.
     */
    @Test
    void fatbinHoldsSm90AndSm80CodeAndCompute75Ptx() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(CudaDevice.readFatbin()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(FATBIN_MAGIC, b.getInt(0), "fatbin magic");
        int headerSize = Short.toUnsignedInt(b.getShort(6));
        long payload = b.getLong(8);
        TreeSet<String> found = new TreeSet<>();
        long pos = headerSize, end = headerSize + payload;
        while (pos < end) {
            int p = (int) pos;
            int kind = Short.toUnsignedInt(b.getShort(p));
            int entryHeader = b.getInt(p + 4);
            long entryPayload = b.getLong(p + 8);
            int sm = b.getInt(p + 28);
            found.add((kind == 1 ? "ptx_" : kind == 2 ? "sass_" : "kind" + kind + "_") + sm);
            pos += entryHeader + entryPayload;
        }
        assertEquals(end, pos, "entries must tile the payload exactly");
        assertEquals(new TreeSet<>(java.util.List.of("sass_90", "sass_80", "ptx_75")), found, "fatbin contents " + found);
        assertTrue(b.capacity() >= end);
    }
}
