package distill4j.bench.variants;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import distill4j.kernels.dropout.Philox;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The numbered versions of the SIMD Philox dropout kernel, a frozen copy for {@link DropoutVariantBench}
 * (single-threaded; the library ships v3 in {@code distill4j.kernels.dropout.SimdDropout}). All give
 * the scalar reference's bits ({@code DropoutVariantsTest}). One line each: what it changed, what it
 * measured (JMH {@code DropoutBench}, 2²⁰ floats, forward, 1 thread, same jar, bench/README.md; Zen 3 =
 * AVX2, 128×1200 floats, ns per element):
 * <ol>
 *   <li>v1 gather: the four word vectors are stored word-major into a small per-thread array and
 *       gathered back in element order (two 16-lane gathers per group). JDK 25 9.6 GB/s, JDK 17 7.1;
 *       Zen 3 JDK 25 2.41 ns/element, JDK 17 6.36. Was JDK 17's default, because the permute loop was
 *       boxed in some JDK 17 compilations.</li>
 *   <li>v2 permute: no gather; word pairs packed into long lanes, duplicated with {@code selectFrom}
 *       and merged by an odd-lane blend into element order. JDK 25 15.2 GB/s on 1 thread (27.5 on 2,
 *       gather 18.4), JDK 17 13.4 (a copy of the same bytes: about 80 GB/s).</li>
 *   <li>v3 pairs (shipped): v2 on two groups at a time, Philox rounds interleaved (two independent
 *       dependency chains fill the vector pipes). With the umul32 and-masks, Zen 3 JDK 25 permute
 *       3.23 → 1.89 ns/element, JDK 17 5.08 → 3.91; about 0.6 ns/element with AVX-512.</li>
 * </ol>
 */
public final class DropoutVariants {
    private DropoutVariants() {}

    /** The versions: 1 gather, 2 permute, 3 permute in pairs (shipped). */
    public static final int VERSIONS = 3;

    private static final VectorSpecies<Long> L = VectorSpecies.of(long.class, F.vectorShape());
    /** Int lanes of half the width: one long vector narrows into one of these. */
    private static final VectorSpecies<Integer> IH = VectorSpecies.of(int.class,
            VectorShape.forBitSize(Math.max(64, F.vectorBitSize() / 2)));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Counter blocks per group (8 with AVX-512). */
    private static final int BLOCKS = L.length();
    /** Elements per group. */
    private static final int GROUP = 4 * BLOCKS;
    private static final long MASK32 = 0xFFFFFFFFL;
    private static final long M0 = 0xD2511F53L, M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /** Gather map: element e of a group is word (e & 3) of block (e ≫ 2), stored at (e & 3)·BLOCKS + (e ≫ 2). */
    private static final int[] ELEMENT_ORDER = new int[GROUP];
    static {
        for (int e = 0; e < GROUP; e++) ELEMENT_ORDER[e] = (e & 3) * BLOCKS + (e >> 2);
    }

    private static final ThreadLocal<int[]> WORDS = ThreadLocal.withInitial(() -> new int[Math.max(GROUP, 4)]);

    /** Lane l of the first / second half of a group's element-order vectors takes packed lane DUP[l]. */
    private static final long[] DUP_LO = new long[BLOCKS], DUP_HI = new long[BLOCKS];
    static {
        for (int l = 0; l < BLOCKS; l++) {
            DUP_LO[l] = l / 2;
            DUP_HI[l] = BLOCKS / 2 + l / 2;
        }
    }

    /** Forward dropout with kernel {@code version}, one thread: y (n) = x · keep / (1 − p). */
    public static void forward(int version, float[] x, float[] y, int n, float p, long seed, long step, long indexBase) {
        apply(version, x, y, 0, n, p, seed, step, indexBase, false);
    }

    /** Backward dropout with kernel {@code version}, one thread: dx (n) (+)= dy · keep / (1 − p). */
    public static void backward(int version, float[] dy, float[] dx, int n, float p, long seed, long step, long indexBase,
                                boolean accumulate) {
        apply(version, dy, dx, 0, n, p, seed, step, indexBase, accumulate);
    }

    private static void apply(int version, float[] x, float[] y, int from, int n, float p, long seed, long step,
                              long indexBase, boolean accumulate) {
        if (version < 1 || version > VERSIONS) throw new IllegalArgumentException("dropout version must be 1..3, got " + version);
        float scale = 1f / (1f - p);
        int threshold = (int) Math.ceil(p * 0x1p24); // keep ⇔ (word >>> 8) ≥ threshold; ≤ 2^24
        int[] words = WORDS.get();
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        int s0 = (int) step, s1 = (int) (step >>> 32);
        int i = from;
        while (i < n && ((indexBase + i) & 3) != 0) {
            i = scalarBlock(x, y, i, n, indexBase, threshold, scale, accumulate, k0, k1, s0, s1, words);
        }
        FloatVector zero = FloatVector.zero(F);
        if (version >= 2 && BLOCKS >= 2 && 2 * BLOCKS == LANES) {
            if (version == 3) i = permuteGroupPairs(x, y, i, n, indexBase, threshold, scale, accumulate, k0, k1, s0, s1);
            i = permuteGroups(x, y, i, n, indexBase, threshold, scale, accumulate, k0, k1, s0, s1);
        }
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
        while (i < n) {
            i = scalarBlock(x, y, i, n, indexBase, threshold, scale, accumulate, k0, k1, s0, s1, words);
        }
    }

    private static int permuteGroups(float[] x, float[] y, int i, int n, long indexBase, int threshold, float scale,
                                     boolean accumulate, int k0, int k1, int s0, int s1) {
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
            FloatVector vLo = zero.blend(FloatVector.fromArray(F, x, i).mul(scale), keepLo);
            FloatVector vHi = zero.blend(FloatVector.fromArray(F, x, i + LANES).mul(scale), keepHi);
            if (accumulate) {
                vLo = vLo.add(FloatVector.fromArray(F, y, i));
                vHi = vHi.add(FloatVector.fromArray(F, y, i + LANES));
            }
            vLo.intoArray(y, i);
            vHi.intoArray(y, i + LANES);
        }
        return i;
    }

    private static int permuteGroupPairs(float[] x, float[] y, int i, int n, long indexBase, int threshold, float scale,
                                         boolean accumulate, int k0, int k1, int s0, int s1) {
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
            FloatVector vLo = zero.blend(FloatVector.fromArray(F, x, i).mul(scale), keepLo);
            FloatVector vHi = zero.blend(FloatVector.fromArray(F, x, i + LANES).mul(scale), keepHi);
            // group B: the next GROUP elements
            LongVector e = d0.or(d1.lanewise(VectorOperators.LSHL, 32)), f = d2.or(d3.lanewise(VectorOperators.LSHL, 32));
            IntVector loB = dupLo.selectFrom(e).blend(dupLo.selectFrom(f), odd).reinterpretAsInts();
            IntVector hiB = dupHi.selectFrom(e).blend(dupHi.selectFrom(f), odd).reinterpretAsInts();
            VectorMask<Float> keepLoB = loB.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(F);
            VectorMask<Float> keepHiB = hiB.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold).cast(F);
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
        return i;
    }

    private static int scalarBlock(float[] x, float[] y, int i, int n, long indexBase, int threshold, float scale,
                                   boolean accumulate, int k0, int k1, int s0, int s1, int[] words) {
        long index = indexBase + i;
        long block = index >>> 2;
        Philox.philox4x32_10((int) block, (int) (block >>> 32), s0, s1, k0, k1, words);
        for (int lane = (int) (index & 3); lane < 4 && i < n; lane++, i++) {
            float v = (words[lane] >>> 8) >= threshold ? x[i] * scale : 0f;
            y[i] = accumulate ? y[i] + v : v;
        }
        return i;
    }

    static void philoxGroup(long block0, int s0, int s1, int k0, int k1, int[] words) {
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
}
