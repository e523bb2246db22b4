package distill4j.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
    static final long SEED = 20150309L;

    @TempDir
    Path dir;

    static Idx.Images randomImages(int n, int rows, int cols, long seed) {
        byte[] p = new byte[n * rows * cols];
        new SplittableRandom(seed).nextBytes(p);
        return new Idx.Images(n, rows, cols, p);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void roundTripsImagesAndLabels(boolean gzip) throws IOException {
        Idx.Images img = randomImages(7, 5, 3, SEED);
        byte[] labels = {0, 9, 3, 3, 1, 2, 8};
        Path fi = dir.resolve("imgs"), fl = dir.resolve("labs");
        Idx.writeImages(fi, img, gzip);
        Idx.writeLabels(fl, labels, gzip);
        byte[] head = Files.readAllBytes(fi);
        assertEquals(gzip, (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b, "gzip magic detection basis");
        Idx.Images back = Idx.readImages(fi);
        assertEquals(7, back.count());
        assertEquals(5, back.rows());
        assertEquals(3, back.cols());
        assertArrayEquals(img.pixels(), back.pixels());
        assertArrayEquals(labels, Idx.readLabels(fl, 10));
    }

    @Test
    void rawLayoutIsBigEndianHeaderThenBytes() throws IOException {
        Idx.Images img = new Idx.Images(2, 1, 2, new byte[] {1, 2, (byte) 255, 4});
        Path f = dir.resolve("x");
        Idx.writeImages(f, img, false);
        byte[] raw = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(raw);
        assertEquals(0x00000803, b.getInt());
        assertEquals(2, b.getInt());
        assertEquals(1, b.getInt());
        assertEquals(2, b.getInt());
        assertArrayEquals(new byte[] {1, 2, (byte) 255, 4}, Arrays.copyOfRange(raw, 16, 20));
    }

    @Test
    void truncatedImageFileIsRejectedWithFileName() throws IOException {
        Path f = dir.resolve("train-images-idx3-ubyte");
        Idx.writeImages(f, randomImages(4, 3, 3, SEED), false);
        byte[] raw = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(raw, raw.length - 1));
        IOException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        Path f = dir.resolve("labels");
        Idx.writeLabels(f, new byte[] {1, 2, 3}, false);
        byte[] raw = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(raw, raw.length + 2));
        IOException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.readLabels(f, 10));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void headerShorterThanDeclaredIsRejected() throws IOException {
        Path f = dir.resolve("short");
        Files.write(f, new byte[] {0, 0, 8, 3, 0, 0});
        IOException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void labelFileGivenAsImagesIsRejectedByMagic() throws IOException {
        Path f = dir.resolve("train-labels-idx1-ubyte");
        Idx.writeLabels(f, new byte[] {1, 2, 3}, false);
        IOException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains("label file"), e.getMessage());
        Path g = dir.resolve("images");
        Idx.writeImages(g, randomImages(1, 2, 2, SEED), false);
        assertThrows(Idx.IdxFormatException.class, () -> Idx.readLabels(g, 10));
    }

    @Test
    void labelOutOfRangeIsRejectedWithIndex() throws IOException {
        Path f = dir.resolve("labels");
        Idx.writeLabels(f, new byte[] {1, 2, 10, 3}, false);
        IOException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.readLabels(f, 10));
        assertTrue(e.getMessage().contains("label 10 at index 2"), e.getMessage());
    }

    @Test
    void zeroSizedImagesAreRejected() throws IOException {
        Path f = dir.resolve("zero");
        Files.write(f, ByteBuffer.allocate(16).putInt(0x803).putInt(1).putInt(0).putInt(28).array());
        IOException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains("0x28"), e.getMessage());
    }

    @Test
    void truncatedGzipIsRejected() throws IOException {
        Path f = dir.resolve("imgs.gz");
        Idx.writeImages(f, randomImages(50, 8, 8, SEED), true);
        byte[] raw = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(raw, raw.length / 2));
        IOException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void hugeDeclaredCountIsRejectedNotAllocated() throws IOException {
        Path f = dir.resolve("huge");
        Files.write(f, ByteBuffer.allocate(17).putInt(0x803).putInt(-1).putInt(28).putInt(28).array());
        IOException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains("4294967295 images"), e.getMessage());
    }

    @Test
    void loadDirFindsRawAndGzipAndReportsUnofficial() throws IOException {
        Idx.writeImages(dir.resolve(IdxData.TRAIN_IMAGES + ".gz"), randomImages(6, 4, 4, SEED), true);
        Idx.writeLabels(dir.resolve(IdxData.TRAIN_LABELS), new byte[] {0, 1, 2, 3, 4, 5}, false);
        Idx.writeImages(dir.resolve("t10k-images.idx3-ubyte"), randomImages(2, 4, 4, SEED + 1), false);
        Idx.writeLabels(dir.resolve(IdxData.TEST_LABELS + ".gz"), new byte[] {9, 8}, true);
        IdxData.Split s = IdxData.load(dir);
        assertEquals(6, s.train().count());
        assertEquals(2, s.test().count());
        assertEquals(9, s.test().label(0));
        assertEquals(10, s.classes(), "classes 0..9 from the largest label");
    }

    @Test
    void loadDirRejectsCountMismatchAndMissingFiles() throws IOException {
        Idx.writeImages(dir.resolve(IdxData.TRAIN_IMAGES), randomImages(6, 4, 4, SEED), false);
        Idx.writeLabels(dir.resolve(IdxData.TRAIN_LABELS), new byte[] {0, 1, 2}, false);
        IOException missing = assertThrows(IOException.class, () -> IdxData.load(dir));
        assertTrue(missing.getMessage().contains(IdxData.TEST_IMAGES), missing.getMessage());
        Idx.writeImages(dir.resolve(IdxData.TEST_IMAGES), randomImages(2, 4, 4, SEED), false);
        Idx.writeLabels(dir.resolve(IdxData.TEST_LABELS), new byte[] {9, 8}, false);
        IOException mismatch = assertThrows(IOException.class, () -> IdxData.load(dir));
        assertTrue(mismatch.getMessage().contains("6 images but"), mismatch.getMessage());
    }
}
