package distill4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

    @Test
    void shuffledBatchesArePermutationsFixedBySeed() {
        List<int[]> a = Batches.shuffled(1003, 100, 5), b = Batches.shuffled(1003, 100, 5), c = Batches.shuffled(1003, 100, 6);
        assertEquals(11, a.size());
        assertEquals(3, a.get(10).length, "the last batch holds the remainder");
        int[] all = a.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        int[] expected = new int[1003];
        for (int i = 0; i < expected.length; i++) expected[i] = i;
        assertArrayEquals(expected, all, "every index exactly once");
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i));
        assertFalse(Arrays.equals(a.get(0), c.get(0)), "another seed, another order");
        assertFalse(Arrays.equals(a.get(0), Batches.sequential(1003, 100).get(0)), "shuffled at all");
    }

    @Test
    void selectAndAccuracy() {
        assertArrayEquals(new int[] {7, 5, 7}, Batches.select(new int[] {5, 6, 7}, new int[] {2, 0, 2}));
        Tensor logits = Tensor.of(new float[][] {{0, 1, 0}, {2, 1, 0}, {0, 0, 3}, {1, 0, 0}});
        assertEquals(0.75, Batches.accuracy(logits, new int[] {1, 0, 2, 2}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Batches.accuracy(logits, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Batches.shuffled(10, 0, 1));
    }
}
