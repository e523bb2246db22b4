package distill4j.bench.harness;

import distill4j.kernels.simd.SimdParams;
import distill4j.kernels.simd.LaneSums;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Development harness (not a test): does a float {@code reduceLanes(ADD)} give the same bits before
 * and after C2 compiles it? It sums 1000 vectors of the preferred species once (interpreted), then
 * again after warm-up, and counts the vectors whose sums differ, and those that differ from adding the
 * lanes in order. JDK 17 here: 0, 0, 0. JDK 25: 570 of 1000 differ once compiled, none before: its C2
 * adds the lanes in another order than the interpreter, so a row sum can round differently before
 * and after a kernel is compiled. Hence {@link LaneSums}: the kernels add a vector's lanes in lane
 * order themselves and call {@code reduceLanes(ADD)} nowhere. Run:
 * java --add-modules jdk.incubator.vector -cp bench/target/classes:kernels/target/classes
 *      distill4j.bench.harness.ReduceLanesOrder
 */
public final class ReduceLanesOrder {
    static float sum(float[] a, int o) {
        return FloatVector.fromArray(SimdParams.F, a, o).reduceLanes(VectorOperators.ADD);
    }

    public static void main(String[] args) {
        int lanes = SimdParams.LANES, m = 1000;
        float[] a = new float[lanes * m];
        Random rnd = new Random(3);
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() * 3 + 0.1f;
        float[] first = new float[m];
        for (int k = 0; k < m; k++) first[k] = sum(a, lanes * k);
        for (int rep = 0; rep < 300; rep++) for (int k = 0; k < m; k++) sum(a, lanes * k);
        int compiledDiffers = 0, firstNotInOrder = 0, compiledNotInOrder = 0;
        for (int k = 0; k < m; k++) {
            float last = sum(a, lanes * k), inOrder = 0;
            for (int i = 0; i < lanes; i++) inOrder += a[lanes * k + i];
            if (Float.floatToRawIntBits(first[k]) != Float.floatToRawIntBits(last)) compiledDiffers++;
            if (Float.floatToRawIntBits(first[k]) != Float.floatToRawIntBits(inOrder)) firstNotInOrder++;
            if (Float.floatToRawIntBits(last) != Float.floatToRawIntBits(inOrder)) compiledNotInOrder++;
        }
        System.out.printf("java %s, %d lanes, %d vectors: first call vs compiled differ in %d; first call vs lanes in order %d;"
                + " compiled vs lanes in order %d%n", System.getProperty("java.version"), lanes, m, compiledDiffers,
                firstNotInOrder, compiledNotInOrder);
    }
}
