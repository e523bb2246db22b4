package distill4j.examples.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Tiny learnable IDX data for tests: each class a blocky prototype image plus noise. */
public final class Synthetic {
    private Synthetic() {}

    public static void write(Path dir, int train, int test, int side, long seed, boolean gzip) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        int size = side * side;
        // each class lights a different set of 4x4-pixel cells, so ±2 px jitter keeps it recognisable
        int cells = (side + 3) / 4;
        byte[][] proto = new byte[Dataset.CLASSES][size];
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (byte[] p : proto) {
            long mask;
            do {
                mask = r.nextLong() & ((1L << (cells * cells)) - 1);
            } while (Long.bitCount(mask) < 2 || !used.add(mask));
            for (int j = 0; j < size; j++) {
                int cell = (j / side / 4) * cells + (j % side) / 4;
                p[j] = (byte) ((mask >>> cell & 1) != 0 ? 230 : 0);
            }
        }
        for (String split : new String[] {"train", "t10k"}) {
            int n = split.equals("train") ? train : test;
            byte[] pixels = new byte[n * size];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                int c = r.nextInt(Dataset.CLASSES);
                labels[i] = (byte) c;
                for (int j = 0; j < size; j++) {
                    int v = (proto[c][j] & 0xFF) + (int) (r.nextGaussian() * 60);
                    pixels[i * size + j] = (byte) Math.max(0, Math.min(255, v));
                }
            }
            String ext = gzip ? ".gz" : "";
            Idx.writeImages(dir.resolve(split + "-images-idx3-ubyte" + ext), new Idx.Images(n, side, side, pixels), gzip);
            Idx.writeLabels(dir.resolve(split + "-labels-idx1-ubyte" + ext), labels, gzip);
        }
    }
}
