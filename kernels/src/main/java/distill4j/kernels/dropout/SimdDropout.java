package distill4j.kernels.dropout;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import distill4j.kernels.Checks;
import distill4j.kernels.simd.SimdPool;
import distill4j.kernels.simd.SimdParams;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dropout with the Philox4x32-10 mask of {@link Philox}, bit-identical to the scalar reference, with
 * Philox itself vectorised: each long lane carries one 32-bit Philox word of one counter block, so the
 * 32×32→64-bit multiply of a round is one lane-wise long multiply. One group is {@code BLOCKS}
 * counter blocks = 4·BLOCKS consecutive elements (element 4b + w ← word w of block b).
 *
 * <p>The group's words are put into element order without a gather: words 0 and 1 of block b are
 * packed into long lane b as w0 | w1 ≪ 32, words 2 and 3 into a second vector; lane b′ of each is
 * copied into lanes 2b′ and 2b′ + 1 ({@code selectFrom} with an index vector) and the two are merged
 * by an odd-lane blend, giving long lanes A0 B0 A1 B1 … whose ints are the words in element order.
 * {@code rearrange} with a constant {@code VectorShuffle} allocated on JDK 17, and a blend with a
 * static-final mask allocated on JDK 17 and 25; {@code selectFrom} with index vectors and masks
 * computed from iota does not. Groups go in pairs ({@link #permuteGroupPairs}) with their Philox
 * rounds interleaved: one group's ten rounds are one dependency chain (multiply, shift, two xors per
 * round), which leaves the vector pipes idle most of the time; two independent chains fill them.
 *
 * <p>On JDK 17–24 the group's words go through a small per-thread array instead and are gathered back in
 * element order ({@link #gatherGroups}): JDK 17's C2 boxes the vectors of the permute loop in some
 * compilations (SimdAllocationTest saw megabytes per call in two of three runs), and JDK 18–24 are
 * not measured. Both give the same bits. (The unpaired permute version is kept in bench/ with the
 * measurements of all three.)
 *
 * <p>umul32: every 32×32→64 product is written {@code x.and(MASK32).mul(broadcast(M).and(MASK32))}, though
 * both operands are already below 2³². Without AVX-512DQ there is no 64-bit vector multiply, and C2
 * emulates one with vpmulld, vpshufd, vpmuludq, shifts and adds; from JDK 24 it emits a single
 * vpmuludq when it can see that both inputs have zero upper halves, which it recognises from exactly
 * this and-mask (read in the disassembly on AVX2, JDK 25).
 *
 * <p>Keep test: u = (word ≫ 8)·2⁻²⁴ ≥ p ⇔ (word ≫ 8) ≥ ⌈p·2²⁴⌉, an exact integer comparison.
 */
public final class SimdDropout implements DropoutKernels {

    private static final VectorSpecies<Long> L = VectorSpecies.of(long.class, F.vectorShape());
    /** Counter blocks per group (8 with AVX-512). */
    private static final int BLOCKS = L.length();
    /** Elements per group. */
    private static final int GROUP = 4 * BLOCKS;
    private static final long MASK32 = 0xFFFFFFFFL;
    private static final long M0 = 0xD2511F53L, M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /** Int lanes of half the width: one long vector narrows into one of these (gather path). */
    private static final VectorSpecies<Integer> IH = VectorSpecies.of(int.class,
            VectorShape.forBitSize(Math.max(64, F.vectorBitSize() / 2)));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Whether this JVM runs the permute kernel (JDK 25+) or the gather one (JDK 17–24); see the class doc. */
    static final boolean PERMUTE = Runtime.version().feature() >= 25;

    /** Gather map: element e of a group is word (e &amp; 3) of block (e ≫ 2), stored at (e &amp; 3)·BLOCKS + (e ≫ 2). */
    private static final int[] ELEMENT_ORDER = new int[GROUP];
    static {
        for (int e = 0; e < GROUP; e++) ELEMENT_ORDER[e] = (e & 3) * BLOCKS + (e >> 2);
    }

    /** Philox words of one counter block (scalar head and tail) or of one group (gather path). */
    private static final ThreadLocal<int[]> WORDS = ThreadLocal.withInitial(() -> new int[Math.max(GROUP, 4)]);

    /** Lane l of the first / second half of a group's element-order vectors takes packed lane DUP[l]. */
    private static final long[] DUP_LO = new long[BLOCKS], DUP_HI = new long[BLOCKS];
    static {
        for (int l = 0; l < BLOCKS; l++) {
            DUP_LO[l] = l / 2;
            DUP_HI[l] = BLOCKS / 2 + l / 2;
        }
    }

    // x (n) -> y (n) = x · keep / (1 − p), keep = Philox(seed, step, indexBase + i) ≥ p; y may be x
    @Override
    public void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase) {
        Checks.vectors("dropoutForward", n, "x", x, "y", y);
        dispatch(x, y, n, p, seed, step, indexBase, false, "dropoutForward");
    }

    // dy (n) -> dx (n) = dy · keep / (1 − p) (or dx += that), the forward's mask
    @Override
    public void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step, long indexBase,
                                boolean accumulate) {
        Checks.vectors("dropoutBackward", n, "dy", dy, "dx", dx);
        dispatch(dy, dx, n, p, seed, step, indexBase, accumulate, "dropoutBackward");
    }

    /**
     * The number of elements that {@link #dropoutForward} / {@link #dropoutBackward} keep among indices
     * [indexBase, indexBase + n) at (seed, step) with drop probability p: the kernel's own mask stream,
     * made by the kernel's own code (the same dispatch, chunking, pool, Philox rounds and keep test, with
     * x null: no data read, none written), so it is the Philox-only floor under the kernel's time
     * (bench's DropoutBench variant "philox"). Equals the count of {@link Philox#keep} over the indices.
     */
    public static int keepCount(int n, float p, long seed, long step, long indexBase) {
        return dispatch(null, null, n, p, seed, step, indexBase, false, "keepCount");
    }

    private static final DropoutTask TASK = new DropoutTask();

    /**
     * Calls of at least {@link SimdParams#DROPOUT_PARALLEL_MIN} elements are cut into chunks on block
     * boundaries and run on the shared pool (unless {@link SimdParams#DROPOUT_PARALLEL} is off); a mask is
     * a pure function of (seed, step, index), so the
     * result is the same bits whatever the split. x null: only count the kept elements ({@link #keepCount});
     * otherwise returns 0.
     */
    private static int dispatch(float[] x, float[] y, int n, float p, long seed, long step, long indexBase,
                                boolean accumulate, String op) {
        Checks.dropout(op, n, p, indexBase);
        SimdPool pool = SimdPool.shared();
        if (SimdParams.DROPOUT_PARALLEL && n >= SimdParams.DROPOUT_PARALLEL_MIN && pool.threads() > 1) {
            int parts = pool.threads();
            synchronized (TASK) {
                TASK.set(x, y, n, p, seed, step, indexBase, accumulate, parts * SimdParams.DROPOUT_CHUNKS_PER_THREAD);
                boolean ran = pool.tryRun(TASK, parts);
                int kept = TASK.kept.get();
                TASK.clear();
                if (ran) return kept;
            }
        }
        return apply(x, y, 0, n, p, seed, step, indexBase, accumulate);
    }

    /** The reusable parallel job: threads take chunks from an atomic counter (as {@code SimdGemm}'s). */
    private static final class DropoutTask implements SimdPool.Task {
        float[] x, y;
        int n, chunks;
        float p;
        long seed, step, indexBase;
        boolean accumulate;
        final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        /** Elements kept, summed over the chunks (count mode, x null). */
        final java.util.concurrent.atomic.AtomicInteger kept = new java.util.concurrent.atomic.AtomicInteger();

        void set(float[] x, float[] y, int n, float p, long seed, long step, long indexBase, boolean accumulate, int chunks) {
            this.x = x;
            this.y = y;
            this.n = n;
            this.p = p;
            this.seed = seed;
            this.step = step;
            this.indexBase = indexBase;
            this.accumulate = accumulate;
            this.chunks = chunks;
            next.set(0);
            kept.set(0);
        }

        void clear() {
            x = y = null;
        }

        @Override
        public void run(int part, int parts) {
            int k = 0;
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                int from = boundary(c), to = boundary(c + 1);
                if (from < to) k += apply(x, y, from, to, p, seed, step, indexBase, accumulate);
            }
            if (k != 0) kept.addAndGet(k);
        }

        /** Start of chunk c: c·n/chunks rounded down to a block (4 element indices), in [0, n]. */
        private int boundary(int c) {
            if (c >= chunks) return n;
            long at = (long) n * c / chunks;
            long aligned = ((indexBase + at) & ~3L) - indexBase;
            return (int) Math.max(0, Math.min(n, aligned));
        }
    }

    // elements [from, n) of x and y, element i having index indexBase + i. x null (keepCount): no data,
    // returns the number of kept elements; otherwise returns 0. Each step below takes its end and returns
    // that count.
    private static int apply(float[] x, float[] y, int from, int n, float p, long seed, long step, long indexBase,
                             boolean accumulate) {
        float scale = 1f / (1f - p);
        int threshold = (int) Math.ceil(p * 0x1p24); // keep ⇔ (word >>> 8) ≥ threshold; ≤ 2^24
        int[] words = WORDS.get();
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        int s0 = (int) step, s1 = (int) (step >>> 32);
        int i = from, kept = 0;
        // head: up to the next multiple of 4 in the element index (one partial counter block)
        int head = (int) Math.min(n - i, (4 - ((indexBase + i) & 3)) & 3);
        if (head > 0) kept += scalarBlock(x, y, i, i + head, indexBase, threshold, scale, accumulate, k0, k1, s0, s1, words);
        i += head;
        // whole pairs of groups, then whole groups (2·BLOCKS = LANES at every width: 128, 256, 512 bits)
        if (PERMUTE) {
            int end = i + (n - i) / (2 * GROUP) * (2 * GROUP);
            kept += permuteGroupPairs(x, y, i, end, indexBase, threshold, scale, accumulate, k0, k1, s0, s1);
            i = end;
            end = i + (n - i) / GROUP * GROUP;
            kept += permuteGroups(x, y, i, end, indexBase, threshold, scale, accumulate, k0, k1, s0, s1);
            i = end;
        } else {
            int end = i + (n - i) / GROUP * GROUP;
            // count mode in a loop of its own: a null-x branch inside gatherGroups made JDK 17's C2 box its
            // mask in some compilations (SimdAllocationTest)
            kept += x == null ? gatherCount(i, end, indexBase, threshold, k0, k1, s0, s1, words)
                    : gatherGroups(x, y, i, end, indexBase, threshold, scale, accumulate, k0, k1, s0, s1, words);
            i = end;
        }
        // tail: whole counter blocks, the last one maybe partial
        for (; i < n; i += 4) {
            kept += scalarBlock(x, y, i, Math.min(n, i + 4), indexBase, threshold, scale, accumulate, k0, k1, s0, s1, words);
        }
        return kept;
    }

    /**
     * Whole groups in [i, n) (i a multiple of 4 in the element index, n − i a multiple of GROUP); returns
     * the kept count when x is null (no data touched), else 0.
     */
    private static int permuteGroups(float[] x, float[] y, int i, int n, long indexBase, int threshold, float scale,
                                     boolean accumulate, int k0, int k1, int s0, int s1) {
        int kept = 0;
        // every vector is made inside the loop (C2 hoists the invariant ones): on JDK 17, vectors made
        // before the loop were boxed once per call (384 bytes)
        for (; i + GROUP <= n; i += GROUP) {
            LongVector iota = LongVector.zero(L).addIndex(1);
            LongVector blocks = LongVector.broadcast(L, (indexBase + i) >>> 2).add(iota);
            LongVector c0 = blocks.and(MASK32);
            LongVector c1 = blocks.lanewise(VectorOperators.LSHR, 32);
            LongVector c2 = LongVector.broadcast(L, s0 & MASK32), c3 = LongVector.broadcast(L, s1 & MASK32);
            int ka = k0, kb = k1;
            for (int round = 0; round < 10; round++) {
                LongVector p0 = c0.and(MASK32).mul(LongVector.broadcast(L, M0).and(MASK32)); // see umul32
                LongVector p1 = c2.and(MASK32).mul(LongVector.broadcast(L, M1).and(MASK32));
                LongVector n0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1)
                        .lanewise(VectorOperators.XOR, ka & MASK32);
                LongVector n2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3)
                        .lanewise(VectorOperators.XOR, kb & MASK32);
                c0 = n0;
                c1 = p1.and(MASK32);
                c2 = n2;
                c3 = p0.and(MASK32);
                ka += W0;
                kb += W1;
            }
            // lane b: (w0, w1) and (w2, w3) of block b, low word first
            LongVector a = c0.or(c1.lanewise(VectorOperators.LSHL, 32));
            LongVector b = c2.or(c3.lanewise(VectorOperators.LSHL, 32));
            // A0 B0 A1 B1 …: the words of blocks 0 … BLOCKS/2 − 1 in element order, then the rest
            LongVector dupLo = LongVector.fromArray(L, DUP_LO, 0), dupHi = LongVector.fromArray(L, DUP_HI, 0);
            VectorMask<Long> odd = iota.and(1L).compare(VectorOperators.NE, 0L);
            FloatVector zero = FloatVector.zero(F);
            IntVector lo = dupLo.selectFrom(a).blend(dupLo.selectFrom(b), odd).reinterpretAsInts();
            IntVector hi = dupHi.selectFrom(a).blend(dupHi.selectFrom(b), odd).reinterpretAsInts();
            VectorMask<Float> keepLo = lo.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(F);
            VectorMask<Float> keepHi = hi.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(F);
            if (x == null) { // keepCount: the mask only
                kept += keepLo.trueCount() + keepHi.trueCount();
                continue;
            }
            FloatVector vLo = zero.blend(FloatVector.fromArray(F, x, i).mul(scale), keepLo);
            FloatVector vHi = zero.blend(FloatVector.fromArray(F, x, i + LANES).mul(scale), keepHi);
            if (accumulate) {
                vLo = vLo.add(FloatVector.fromArray(F, y, i));
                vHi = vHi.add(FloatVector.fromArray(F, y, i + LANES));
            }
            vLo.intoArray(y, i);
            vHi.intoArray(y, i + LANES);
        }
        return kept;
    }

    /** {@link #permuteGroups} on two groups at a time, rounds interleaved; n − i a multiple of 2·GROUP; returns as permuteGroups. */
    private static int permuteGroupPairs(float[] x, float[] y, int i, int n, long indexBase, int threshold, float scale,
                                         boolean accumulate, int k0, int k1, int s0, int s1) {
        int kept = 0;
        for (; i + 2 * GROUP <= n; i += 2 * GROUP) {
            LongVector iota = LongVector.zero(L).addIndex(1);
            LongVector blocks = LongVector.broadcast(L, (indexBase + i) >>> 2).add(iota);
            LongVector blocksB = blocks.add(BLOCKS);
            LongVector c0 = blocks.and(MASK32), d0 = blocksB.and(MASK32);
            LongVector c1 = blocks.lanewise(VectorOperators.LSHR, 32), d1 = blocksB.lanewise(VectorOperators.LSHR, 32);
            LongVector c2 = LongVector.broadcast(L, s0 & MASK32), c3 = LongVector.broadcast(L, s1 & MASK32);
            LongVector d2 = c2, d3 = c3;
            int ka = k0, kb = k1;
            for (int round = 0; round < 10; round++) {
                LongVector m0 = LongVector.broadcast(L, M0).and(MASK32), m1 = LongVector.broadcast(L, M1).and(MASK32);
                LongVector p0 = c0.and(MASK32).mul(m0), q0 = d0.and(MASK32).mul(m0); // see umul32
                LongVector p1 = c2.and(MASK32).mul(m1), q1 = d2.and(MASK32).mul(m1);
                LongVector kA = LongVector.broadcast(L, ka & MASK32), kB = LongVector.broadcast(L, kb & MASK32);
                c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, kA);
                d0 = q1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, d1).lanewise(VectorOperators.XOR, kA);
                c1 = p1.and(MASK32);
                d1 = q1.and(MASK32);
                LongVector nc2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, kB);
                LongVector nd2 = q0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, d3).lanewise(VectorOperators.XOR, kB);
                c2 = nc2;
                d2 = nd2;
                c3 = p0.and(MASK32);
                d3 = q0.and(MASK32);
                ka += W0;
                kb += W1;
            }
            LongVector dupLo = LongVector.fromArray(L, DUP_LO, 0), dupHi = LongVector.fromArray(L, DUP_HI, 0);
            VectorMask<Long> odd = iota.and(1L).compare(VectorOperators.NE, 0L);
            FloatVector zero = FloatVector.zero(F);
            // group A: elements i … i + GROUP − 1, as permuteGroups. Written out for each group rather than
            // in a helper taking the word vectors: a helper that C2 does not inline gets its vectors
            // boxed (see permuteGroups and SimdSoftmax), and SimdAllocationTest would see it.
            LongVector a = c0.or(c1.lanewise(VectorOperators.LSHL, 32)), b = c2.or(c3.lanewise(VectorOperators.LSHL, 32));
            IntVector lo = dupLo.selectFrom(a).blend(dupLo.selectFrom(b), odd).reinterpretAsInts();
            IntVector hi = dupHi.selectFrom(a).blend(dupHi.selectFrom(b), odd).reinterpretAsInts();
            VectorMask<Float> keepLo = lo.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(F);
            VectorMask<Float> keepHi = hi.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(F);
            // group B: the next GROUP elements
            LongVector e = d0.or(d1.lanewise(VectorOperators.LSHL, 32)), f = d2.or(d3.lanewise(VectorOperators.LSHL, 32));
            IntVector loB = dupLo.selectFrom(e).blend(dupLo.selectFrom(f), odd).reinterpretAsInts();
            IntVector hiB = dupHi.selectFrom(e).blend(dupHi.selectFrom(f), odd).reinterpretAsInts();
            VectorMask<Float> keepLoB = loB.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(F);
            VectorMask<Float> keepHiB = hiB.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(F);
            if (x == null) { // keepCount: the masks only
                kept += keepLo.trueCount() + keepHi.trueCount() + keepLoB.trueCount() + keepHiB.trueCount();
                continue;
            }
            FloatVector vLo = zero.blend(FloatVector.fromArray(F, x, i).mul(scale), keepLo);
            FloatVector vHi = zero.blend(FloatVector.fromArray(F, x, i + LANES).mul(scale), keepHi);
            FloatVector wLo = zero.blend(FloatVector.fromArray(F, x, i + GROUP).mul(scale), keepLoB);
            FloatVector wHi = zero.blend(FloatVector.fromArray(F, x, i + GROUP + LANES).mul(scale), keepHiB);
            if (accumulate) {
                vLo = vLo.add(FloatVector.fromArray(F, y, i));
                vHi = vHi.add(FloatVector.fromArray(F, y, i + LANES));
                wLo = wLo.add(FloatVector.fromArray(F, y, i + GROUP));
                wHi = wHi.add(FloatVector.fromArray(F, y, i + GROUP + LANES));
            }
            vLo.intoArray(y, i);
            vHi.intoArray(y, i + LANES);
            wLo.intoArray(y, i + GROUP);
            wHi.intoArray(y, i + GROUP + LANES);
        }
        return kept;
    }

    /** {@link #gatherGroups}' masks alone (keepCount): the same Philox groups, gather and keep test; returns the kept count. */
    private static int gatherCount(int i, int n, long indexBase, int threshold, int k0, int k1, int s0, int s1, int[] words) {
        int kept = 0;
        for (; i + GROUP <= n; i += GROUP) {
            philoxGroup((indexBase + i) >>> 2, s0, s1, k0, k1, words);
            for (int e = 0; e < GROUP; e += LANES) {
                IntVector w = IntVector.fromArray(I, words, 0, ELEMENT_ORDER, e);
                kept += w.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(F).trueCount();
            }
        }
        return kept;
    }

    /** {@link #permuteGroups} with the words gathered in element order (JDK 17–24); returns 0. */
    private static int gatherGroups(float[] x, float[] y, int i, int n, long indexBase, int threshold, float scale,
                                    boolean accumulate, int k0, int k1, int s0, int s1, int[] words) {
        FloatVector zero = FloatVector.zero(F);
        int kept = 0;
        for (; i + GROUP <= n; i += GROUP) {
            long block0 = (indexBase + i) >>> 2;
            philoxGroup(block0, s0, s1, k0, k1, words);
            for (int e = 0; e < GROUP; e += LANES) {
                IntVector w = IntVector.fromArray(I, words, 0, ELEMENT_ORDER, e);
                VectorMask<Float> keep = w.lanewise(VectorOperators.LSHR, 8)
                        .compare(VectorOperators.GE, threshold).cast(F);
                FloatVector v = zero.blend(FloatVector.fromArray(F, x, i + e).mul(scale), keep);
                if (accumulate) v = v.add(FloatVector.fromArray(F, y, i + e));
                v.intoArray(y, i + e);
            }
        }
        return kept;
    }

    /**
     * Philox4x32-10 of the BLOCKS counters (block0 + b, step) under key (k0, k1); writes word w of
     * block b to {@code words[w·BLOCKS + b]}. Each long lane holds a 32-bit word, zero-extended.
     */
    private static void philoxGroup(long block0, int s0, int s1, int k0, int k1, int[] words) {
        LongVector blocks = LongVector.broadcast(L, block0).add(LongVector.zero(L).addIndex(1));
        LongVector c0 = blocks.and(MASK32);
        LongVector c1 = blocks.lanewise(VectorOperators.LSHR, 32);
        LongVector c2 = LongVector.broadcast(L, s0 & MASK32);
        LongVector c3 = LongVector.broadcast(L, s1 & MASK32);
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            LongVector p0 = c0.and(MASK32).mul(LongVector.broadcast(L, M0).and(MASK32)); // see umul32
            LongVector p1 = c2.and(MASK32).mul(LongVector.broadcast(L, M1).and(MASK32));
            LongVector n0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, k0 & MASK32);
            LongVector n2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, k1 & MASK32);
            c0 = n0;
            c1 = p1.and(MASK32);
            c2 = n2;
            c3 = p0.and(MASK32);
        }
        ((IntVector) c0.convertShape(VectorOperators.L2I, IH, 0)).intoArray(words, 0);
        ((IntVector) c1.convertShape(VectorOperators.L2I, IH, 0)).intoArray(words, BLOCKS);
        ((IntVector) c2.convertShape(VectorOperators.L2I, IH, 0)).intoArray(words, 2 * BLOCKS);
        ((IntVector) c3.convertShape(VectorOperators.L2I, IH, 0)).intoArray(words, 3 * BLOCKS);
    }

    /** Elements [i, end), all in i's counter block, scalar; returns the kept count when x is null, else 0. */
    private static int scalarBlock(float[] x, float[] y, int i, int end, long indexBase, int threshold, float scale,
                                   boolean accumulate, int k0, int k1, int s0, int s1, int[] words) {
        long index = indexBase + i;
        long block = index >>> 2;
        Philox.philox4x32_10((int) block, (int) (block >>> 32), s0, s1, k0, k1, words);
        int kept = 0;
        for (int lane = (int) (index & 3); i < end; lane++, i++) {
            boolean keep = (words[lane] >>> 8) >= threshold;
            if (x == null) {
                if (keep) kept++;
                continue;
            }
            float v = keep ? x[i] * scale : 0f;
            y[i] = accumulate ? y[i] + v : v;
        }
        return kept;
    }
}
