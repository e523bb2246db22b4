package distill4j.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.engine.Tensor;
import distill4j.engine.distill.Ensemble;
import distill4j.examples.data.Dataset;
import distill4j.examples.data.IdxData;
import distill4j.examples.data.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soft targets from cached logits (the engine's {@code Ensemble.combine}, as the tool computes them)
 * must equal the engine's ensembles evaluated on the inputs (arithmetic and geometric mean, several T);
 * the logit cache is written once and reused.
 */
class LogitCacheTest {
    static final long SEED = 1503L;
    /** float32 softmax of the same logits, combined in a different order. */
    static final float ATOL = 1e-6f, RTOL = 1e-5f;

    @TempDir
    Path dir;

    @Test
    void ensembleOfCachedLogitsMatchesTheEngineEnsemble() {
        int[] sizes = {12, 9, 9, 10};
        List<Net> members = List.of(
                new Net(sizes, Net.Options.plain(SEED)),
                new Net(sizes, Net.Options.plain(SEED + 1)),
                new Net(sizes, Net.Options.plain(SEED + 2)));
        int rows = 17;
        float[] x = new float[rows * 12];
        SplittableRandom r = new SplittableRandom(SEED);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble() * 4;
        List<float[]> logits = members.stream().map(m -> {
            float[] z = new float[rows * 10];
            m.logits(x, rows, z);
            return z;
        }).toList();
        for (float t : new float[] {1f, 2.5f, 20f}) {
            for (Ensemble.Combine how : Ensemble.Combine.values()) {
                float[] ours = Ensemble.combine(how, logits.stream().map(v -> Tensor.of(v.clone(), rows, 10)).toList(), t).data();
                Ensemble engine = new Ensemble(Ensemble.Combine.valueOf(how.name()), members.stream().map(Net::model).toList());
                float[] ref = engine.softTargets(Tensor.of(x.clone(), rows, 12), t).data();
                for (int i = 0; i < ref.length; i++) {
                    assertEquals(ref[i], ours[i], ATOL + RTOL * Math.abs(ref[i]), how + " T " + t + " [" + i + "] (seed " + SEED + ")");
                }
                for (int row = 0; row < rows; row++) {
                    double sum = 0;
                    for (int j = 0; j < 10; j++) sum += ours[row * 10 + j];
                    assertEquals(1.0, sum, 1e-5, "row " + row + " sums to 1");
                }
            }
        }
    }

    @Test
    void teacherLogitsAreCachedByChecksum() throws Exception {
        Synthetic.write(dir.resolve("d"), 60, 10, 6, SEED, false);
        Dataset train = IdxData.load(dir.resolve("d")).train();
        Net teacher = new Net(new int[] {36, 8, 8, 10}, Net.Options.plain(SEED));
        Path cache = dir.resolve("cache");
        float[] first = LogitCache.teacherLogits(teacher, train, cache);
        List<Path> files;
        try (var s = Files.list(cache)) { files = s.toList(); }
        assertEquals(1, files.size());
        assertTrue(files.get(0).getFileName().toString().startsWith("logits-" + teacher.checksum().substring(0, 16)), files.toString());
        long stamp = Files.getLastModifiedTime(files.get(0)).toMillis();
        float[] second = LogitCache.teacherLogits(teacher, train, cache);
        assertArrayEquals(first, second);
        assertEquals(stamp, Files.getLastModifiedTime(files.get(0)).toMillis(), "cache must be read, not rewritten");
        assertArrayEquals(Eval.logits(teacher, train), first);
    }
}
