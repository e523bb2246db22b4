package distill4j.examples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image classification data set in LeCun's IDX format: a directory with four files, the MNIST
 * names, each raw or gzip-compressed ({@code name.gz}), in the underscore or the dotted spelling
 * ({@code train-images-idx3-ubyte} or {@code train-images.idx3-ubyte}):
 * <pre>
 *   train-images-idx3-ubyte   (count, rows, cols) unsigned bytes    train-labels-idx1-ubyte   (count) class indices
 *   t10k-images-idx3-ubyte    test images, same rows × cols         t10k-labels-idx1-ubyte    test labels
 * </pre>
 * MNIST, Fashion-MNIST and KMNIST ship in this form. The classes are 0..K−1 with K one more than the
 * largest label in either file (at least 2).
 */
public final class IdxData {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    public static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private IdxData() {}

    /** A loaded data set: its name (the directory's, unless given), training and test sets, their files. */
    public record Split(String name, Dataset train, Dataset test, Map<String, Path> files) {
        public int classes() { return train.classes(); }
    }

    /** Reads the four files of {@code dir}; the data set is named after the directory. */
    public static Split load(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        return load(dir, abs.getFileName() == null ? abs.toString() : abs.getFileName().toString());
    }

    public static Split load(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("data directory " + dir + " does not exist (or is not a directory); pass --data DIR with the"
                    + " four IDX files " + String.join(", ", FILES) + " (raw or .gz)");
        }
        Map<String, Path> found = new LinkedHashMap<>();
        for (String f : FILES) found.put(f, locate(dir, f));
        Idx.Images trainImages = Idx.readImages(found.get(TRAIN_IMAGES));
        byte[] trainLabels = Idx.readLabels(found.get(TRAIN_LABELS), 256);
        Idx.Images testImages = Idx.readImages(found.get(TEST_IMAGES));
        byte[] testLabels = Idx.readLabels(found.get(TEST_LABELS), 256);
        checkPair(found.get(TRAIN_IMAGES), trainImages, found.get(TRAIN_LABELS), trainLabels);
        checkPair(found.get(TEST_IMAGES), testImages, found.get(TEST_LABELS), testLabels);
        if (trainImages.rows() != testImages.rows() || trainImages.cols() != testImages.cols()) {
            throw new IOException("data in " + dir + ": training images (" + found.get(TRAIN_IMAGES) + ") are " + trainImages.rows()
                    + "x" + trainImages.cols() + " but test images (" + found.get(TEST_IMAGES) + ") are " + testImages.rows() + "x"
                    + testImages.cols() + "; both files must come from the same data set");
        }
        int max = 0;
        for (byte y : trainLabels) max = Math.max(max, y & 0xFF);
        for (byte y : testLabels) max = Math.max(max, y & 0xFF);
        int classes = Math.max(2, max + 1);
        return new Split(name, new Dataset("train", trainImages, trainLabels, classes),
                new Dataset("test", testImages, testLabels, classes), found);
    }

    private static void checkPair(Path imagesFile, Idx.Images images, Path labelsFile, byte[] labels) throws IOException {
        if (images.count() != labels.length) {
            throw new IOException(imagesFile + " holds " + images.count() + " images but " + labelsFile + " holds "
                    + labels.length + " labels; each images file needs the labels file of the same set");
        }
    }

    /** {@code name}, {@code name.gz}, or the dotted variant ({@code train-images.idx3-ubyte}) in dir. */
    public static Path locate(Path dir, String name) throws IOException {
        String dotted = name.replaceFirst("-idx", ".idx");
        for (String candidate : List.of(name, name + ".gz", dotted, dotted + ".gz")) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IOException("data directory " + dir + " has no " + name + " (nor " + name + ".gz, " + dotted + ", "
                + dotted + ".gz); it needs the four IDX files " + String.join(", ", FILES));
    }
}
