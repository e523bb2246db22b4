package distill4j.bench.variants;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import jdk.incubator.vector.FloatVector;

/**
 * The nine numbered GEMM micro-kernels, v1 … v9 (style note 14: versions are measured outside the
 * library). The library ships two of them, v1 (6×2, at 512 bits) and v6 (4×2, below), in
 * {@code distill4j.kernels.gemm.SimdGemmKernels}; this frozen copy keeps all nine so that
 * {@link GemmMicroKernelBench} can measure them against each other inside {@link PackedGemm}, the
 * library's packing and blocking. Each computes an MR × NR tile from packed A (kc × MR) and B
 * (kc × NR) micro-panels, one FMA chain per element of C ({@code GemmMicroKernelsTest}).
 *
 * <p>One line each: what it changed, what it measured (best of several runs of the former
 * {@code SimdGemmBench}, 1 thread, GFLOP/s; Zen 5 = AMD EPYC with AVX-512, JDK 25, KC = 256, at
 * (128×784)·(784×1200) / (128×1200)·(1200×1200) NN; Zen 3 = AVX2, 16 registers, at the five MLP shapes;
 * shared machines, ±30% per run: only the ranking is firm):
 * <ul>
 *   <li>v1 6×2 (12 accumulators + 2 B + 1 broadcast): Zen 5 172 / 157, 180–193 on the k = 128 TN
 *       shapes — shipped at 512 bits. Zen 3 JDK 25 31–34 (C2 keeps 3 broadcast registers live, spills
 *       one accumulator: a store and reload in every k step), JDK 17 33–45.</li>
 *   <li>v2 8×2 (16 accumulators): Zen 5 168 / 157, no faster than v1 with more registers.</li>
 *   <li>v3 8×3 (24 accumulators + 3 B vectors): Zen 5 132 / 133, C2 starts to spill.</li>
 *   <li>v4 12×2 (24 accumulators): Zen 5 114 / 104, spills.</li>
 *   <li>v5 4×4 (4 B loads per 4 broadcasts): Zen 5 159 / 118, load-bound.</li>
 *   <li>v6 4×2 (8 accumulators, 14 registers: covers the 4-cycle FMA latency on 2 pipes exactly):
 *       Zen 3 JDK 25 53–63, JDK 17 35–56 — shipped below 512 bits.</li>
 *   <li>v7 5×2 (10 accumulators): Zen 3 JDK 25 23–27 (spills), JDK 17 42–53.</li>
 *   <li>v8 v6 with k unrolled by 2: Zen 3 no better than v6.</li>
 *   <li>v9 4×3 (12 accumulators + 3 B): Zen 3 JDK 17 37–44, spills with 16 registers.</li>
 * </ul>
 * A first version of all five Zen 5 kernels called a helper to store C; it failed to inline
 * (NodeCountInliningCutoff) and boxed the accumulators: 9–45 GFLOP/s. The stores are therefore
 * written out in each kernel (unrolled by hand, once, by a throwaway script).
 */
public final class GemmMicroKernels {
    private GemmMicroKernels() {}

    /** The numbered versions. */
    public static final int VERSIONS = 9;

    /** Rows of C per call (MR) of a version. */
    public static int rows(int version) {
        switch (version) {
            case 1: return 6;
            case 2: return 8;
            case 3: return 8;
            case 4: return 12;
            case 5: return 4;
            case 6: return 4;
            case 7: return 5;
            case 8: return 4;
            case 9: return 4;
            default: throw new IllegalArgumentException("GEMM micro-kernel version must be 1..9, got " + version);
        }
    }

    /** Vectors of C per row (NR / LANES) of a version. */
    public static int vectors(int version) {
        switch (version) {
            case 1: return 2;
            case 2: return 2;
            case 3: return 3;
            case 4: return 2;
            case 5: return 4;
            case 6: return 2;
            case 7: return 2;
            case 8: return 2;
            case 9: return 3;
            default: throw new IllegalArgumentException("GEMM micro-kernel version must be 1..9, got " + version);
        }
    }

    /** Runs micro-kernel {@code version} (a compile-time constant at the call site, so the switch folds). */
    public static void run(int version, int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff,
                    int ldc, boolean add) {
        switch (version) {
            case 1: kernel6x2(kc, ap, aOff, bp, bOff, c, cOff, ldc, add); break;
            case 2: kernel8x2(kc, ap, aOff, bp, bOff, c, cOff, ldc, add); break;
            case 3: kernel8x3(kc, ap, aOff, bp, bOff, c, cOff, ldc, add); break;
            case 4: kernel12x2(kc, ap, aOff, bp, bOff, c, cOff, ldc, add); break;
            case 5: kernel4x4(kc, ap, aOff, bp, bOff, c, cOff, ldc, add); break;
            case 6: kernel4x2(kc, ap, aOff, bp, bOff, c, cOff, ldc, add); break;
            case 7: kernel5x2(kc, ap, aOff, bp, bOff, c, cOff, ldc, add); break;
            case 8: kernel4x2u(kc, ap, aOff, bp, bOff, c, cOff, ldc, add); break;
            case 9: kernel4x3(kc, ap, aOff, bp, bOff, c, cOff, ldc, add); break;
            default: throw new IllegalArgumentException("unknown GEMM micro-kernel " + version);
        }
    }

    // v1: 6 rows x 2 vectors (12 accumulators).
    // ap: packed A micro-panel (kc, 6) at aOff; bp: packed B micro-panel (kc, 2·LANES) at bOff
    // -> C (6, 2·LANES) at cOff with row stride ldc; C = acc, or C += acc when add
    static void kernel6x2(int kc, float[] ap, int aOff, float[] bp, int bOff,
                          float[] c, int cOff, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        int ao = aOff, bo = bOff;
        for (int p = 0; p < kc; p++, ao += 6, bo += 2 * LANES) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, ap[ao + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, ap[ao + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * LANES));
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * LANES));
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * LANES));
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * LANES));
            c40 = c40.add(FloatVector.fromArray(F, c, cOff + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + 1 * LANES));
            c50 = c50.add(FloatVector.fromArray(F, c, cOff + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + 1 * LANES));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + 1 * LANES);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + 1 * LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + 1 * LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + 1 * LANES);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + 1 * LANES);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + 1 * LANES);
    }

    // v2: 8 rows x 2 vectors (16 accumulators).
    // ap: packed A micro-panel (kc, 8) at aOff; bp: packed B micro-panel (kc, 2·LANES) at bOff
    // -> C (8, 2·LANES) at cOff with row stride ldc; C = acc, or C += acc when add
    static void kernel8x2(int kc, float[] ap, int aOff, float[] bp, int bOff,
                          float[] c, int cOff, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        int ao = aOff, bo = bOff;
        for (int p = 0; p < kc; p++, ao += 8, bo += 2 * LANES) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, ap[ao + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, ap[ao + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, ap[ao + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, ap[ao + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * LANES));
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * LANES));
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * LANES));
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * LANES));
            c40 = c40.add(FloatVector.fromArray(F, c, cOff + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + 1 * LANES));
            c50 = c50.add(FloatVector.fromArray(F, c, cOff + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + 1 * LANES));
            c60 = c60.add(FloatVector.fromArray(F, c, cOff + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(F, c, cOff + 6 * ldc + 1 * LANES));
            c70 = c70.add(FloatVector.fromArray(F, c, cOff + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(F, c, cOff + 7 * ldc + 1 * LANES));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + 1 * LANES);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + 1 * LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + 1 * LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + 1 * LANES);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + 1 * LANES);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + 1 * LANES);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + 1 * LANES);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + 1 * LANES);
    }

    // v3: 8 rows x 3 vectors (24 accumulators).
    // ap: packed A micro-panel (kc, 8) at aOff; bp: packed B micro-panel (kc, 3·LANES) at bOff
    // -> C (8, 3·LANES) at cOff with row stride ldc; C = acc, or C += acc when add
    static void kernel8x3(int kc, float[] ap, int aOff, float[] bp, int bOff,
                          float[] c, int cOff, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c22 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F), c32 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F), c42 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F), c52 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F), c62 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F), c72 = FloatVector.zero(F);
        int ao = aOff, bo = bOff;
        for (int p = 0; p < kc; p++, ao += 8, bo += 3 * LANES) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(F, bp, bo + 2 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(F, ap[ao + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(F, ap[ao + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            FloatVector a6 = FloatVector.broadcast(F, ap[ao + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            FloatVector a7 = FloatVector.broadcast(F, ap[ao + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * LANES));
            c02 = c02.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 2 * LANES));
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * LANES));
            c12 = c12.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 2 * LANES));
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * LANES));
            c22 = c22.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 2 * LANES));
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * LANES));
            c32 = c32.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 2 * LANES));
            c40 = c40.add(FloatVector.fromArray(F, c, cOff + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + 1 * LANES));
            c42 = c42.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + 2 * LANES));
            c50 = c50.add(FloatVector.fromArray(F, c, cOff + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + 1 * LANES));
            c52 = c52.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + 2 * LANES));
            c60 = c60.add(FloatVector.fromArray(F, c, cOff + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(F, c, cOff + 6 * ldc + 1 * LANES));
            c62 = c62.add(FloatVector.fromArray(F, c, cOff + 6 * ldc + 2 * LANES));
            c70 = c70.add(FloatVector.fromArray(F, c, cOff + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(F, c, cOff + 7 * ldc + 1 * LANES));
            c72 = c72.add(FloatVector.fromArray(F, c, cOff + 7 * ldc + 2 * LANES));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + 1 * LANES);
        c02.intoArray(c, cOff + 0 * ldc + 2 * LANES);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + 1 * LANES);
        c12.intoArray(c, cOff + 1 * ldc + 2 * LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + 1 * LANES);
        c22.intoArray(c, cOff + 2 * ldc + 2 * LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + 1 * LANES);
        c32.intoArray(c, cOff + 3 * ldc + 2 * LANES);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + 1 * LANES);
        c42.intoArray(c, cOff + 4 * ldc + 2 * LANES);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + 1 * LANES);
        c52.intoArray(c, cOff + 5 * ldc + 2 * LANES);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + 1 * LANES);
        c62.intoArray(c, cOff + 6 * ldc + 2 * LANES);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + 1 * LANES);
        c72.intoArray(c, cOff + 7 * ldc + 2 * LANES);
    }

    // v4: 12 rows x 2 vectors (24 accumulators).
    // ap: packed A micro-panel (kc, 12) at aOff; bp: packed B micro-panel (kc, 2·LANES) at bOff
    // -> C (12, 2·LANES) at cOff with row stride ldc; C = acc, or C += acc when add
    static void kernel12x2(int kc, float[] ap, int aOff, float[] bp, int bOff,
                          float[] c, int cOff, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        FloatVector c80 = FloatVector.zero(F), c81 = FloatVector.zero(F);
        FloatVector c90 = FloatVector.zero(F), c91 = FloatVector.zero(F);
        FloatVector c100 = FloatVector.zero(F), c101 = FloatVector.zero(F);
        FloatVector c110 = FloatVector.zero(F), c111 = FloatVector.zero(F);
        int ao = aOff, bo = bOff;
        for (int p = 0; p < kc; p++, ao += 12, bo += 2 * LANES) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, ap[ao + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, ap[ao + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, ap[ao + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, ap[ao + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            FloatVector a8 = FloatVector.broadcast(F, ap[ao + 8]);
            c80 = a8.fma(b0, c80);
            c81 = a8.fma(b1, c81);
            FloatVector a9 = FloatVector.broadcast(F, ap[ao + 9]);
            c90 = a9.fma(b0, c90);
            c91 = a9.fma(b1, c91);
            FloatVector a10 = FloatVector.broadcast(F, ap[ao + 10]);
            c100 = a10.fma(b0, c100);
            c101 = a10.fma(b1, c101);
            FloatVector a11 = FloatVector.broadcast(F, ap[ao + 11]);
            c110 = a11.fma(b0, c110);
            c111 = a11.fma(b1, c111);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * LANES));
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * LANES));
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * LANES));
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * LANES));
            c40 = c40.add(FloatVector.fromArray(F, c, cOff + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + 1 * LANES));
            c50 = c50.add(FloatVector.fromArray(F, c, cOff + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + 1 * LANES));
            c60 = c60.add(FloatVector.fromArray(F, c, cOff + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(F, c, cOff + 6 * ldc + 1 * LANES));
            c70 = c70.add(FloatVector.fromArray(F, c, cOff + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(F, c, cOff + 7 * ldc + 1 * LANES));
            c80 = c80.add(FloatVector.fromArray(F, c, cOff + 8 * ldc));
            c81 = c81.add(FloatVector.fromArray(F, c, cOff + 8 * ldc + 1 * LANES));
            c90 = c90.add(FloatVector.fromArray(F, c, cOff + 9 * ldc));
            c91 = c91.add(FloatVector.fromArray(F, c, cOff + 9 * ldc + 1 * LANES));
            c100 = c100.add(FloatVector.fromArray(F, c, cOff + 10 * ldc));
            c101 = c101.add(FloatVector.fromArray(F, c, cOff + 10 * ldc + 1 * LANES));
            c110 = c110.add(FloatVector.fromArray(F, c, cOff + 11 * ldc));
            c111 = c111.add(FloatVector.fromArray(F, c, cOff + 11 * ldc + 1 * LANES));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + 1 * LANES);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + 1 * LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + 1 * LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + 1 * LANES);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + 1 * LANES);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + 1 * LANES);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + 1 * LANES);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + 1 * LANES);
        c80.intoArray(c, cOff + 8 * ldc);
        c81.intoArray(c, cOff + 8 * ldc + 1 * LANES);
        c90.intoArray(c, cOff + 9 * ldc);
        c91.intoArray(c, cOff + 9 * ldc + 1 * LANES);
        c100.intoArray(c, cOff + 10 * ldc);
        c101.intoArray(c, cOff + 10 * ldc + 1 * LANES);
        c110.intoArray(c, cOff + 11 * ldc);
        c111.intoArray(c, cOff + 11 * ldc + 1 * LANES);
    }

    // v5: 4 rows x 4 vectors (16 accumulators).
    // ap: packed A micro-panel (kc, 4) at aOff; bp: packed B micro-panel (kc, 4·LANES) at bOff
    // -> C (4, 4·LANES) at cOff with row stride ldc; C = acc, or C += acc when add
    static void kernel4x4(int kc, float[] ap, int aOff, float[] bp, int bOff,
                          float[] c, int cOff, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F), c03 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F), c13 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c22 = FloatVector.zero(F), c23 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F), c32 = FloatVector.zero(F), c33 = FloatVector.zero(F);
        int ao = aOff, bo = bOff;
        for (int p = 0; p < kc; p++, ao += 4, bo += 4 * LANES) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(F, bp, bo + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(F, bp, bo + 3 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * LANES));
            c02 = c02.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 2 * LANES));
            c03 = c03.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 3 * LANES));
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * LANES));
            c12 = c12.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 2 * LANES));
            c13 = c13.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 3 * LANES));
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * LANES));
            c22 = c22.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 2 * LANES));
            c23 = c23.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 3 * LANES));
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * LANES));
            c32 = c32.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 2 * LANES));
            c33 = c33.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 3 * LANES));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + 1 * LANES);
        c02.intoArray(c, cOff + 0 * ldc + 2 * LANES);
        c03.intoArray(c, cOff + 0 * ldc + 3 * LANES);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + 1 * LANES);
        c12.intoArray(c, cOff + 1 * ldc + 2 * LANES);
        c13.intoArray(c, cOff + 1 * ldc + 3 * LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + 1 * LANES);
        c22.intoArray(c, cOff + 2 * ldc + 2 * LANES);
        c23.intoArray(c, cOff + 2 * ldc + 3 * LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + 1 * LANES);
        c32.intoArray(c, cOff + 3 * ldc + 2 * LANES);
        c33.intoArray(c, cOff + 3 * ldc + 3 * LANES);
    }

    // v6: 4 rows x 2 vectors (8 accumulators).
    // ap: packed A micro-panel (kc, 4) at aOff; bp: packed B micro-panel (kc, 2·LANES) at bOff
    // -> C (4, 2·LANES) at cOff with row stride ldc; C = acc, or C += acc when add
    static void kernel4x2(int kc, float[] ap, int aOff, float[] bp, int bOff,
                          float[] c, int cOff, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int ao = aOff, bo = bOff;
        for (int p = 0; p < kc; p++, ao += 4, bo += 2 * LANES) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * LANES));
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * LANES));
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * LANES));
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * LANES));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + 1 * LANES);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + 1 * LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + 1 * LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + 1 * LANES);
    }

    // v7: 5 rows x 2 vectors (10 accumulators).
    // ap: packed A micro-panel (kc, 5) at aOff; bp: packed B micro-panel (kc, 2·LANES) at bOff
    // -> C (5, 2·LANES) at cOff with row stride ldc; C = acc, or C += acc when add
    static void kernel5x2(int kc, float[] ap, int aOff, float[] bp, int bOff,
                          float[] c, int cOff, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        int ao = aOff, bo = bOff;
        for (int p = 0; p < kc; p++, ao += 5, bo += 2 * LANES) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, ap[ao + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * LANES));
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * LANES));
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * LANES));
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * LANES));
            c40 = c40.add(FloatVector.fromArray(F, c, cOff + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + 1 * LANES));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + 1 * LANES);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + 1 * LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + 1 * LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + 1 * LANES);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + 1 * LANES);
    }

    // v8: 4 rows x 2 vectors, k unrolled by 2 (8 accumulators).
    // ap: packed A micro-panel (kc, 4) at aOff; bp: packed B micro-panel (kc, 2·LANES) at bOff
    // -> C (4, 2·LANES) at cOff with row stride ldc; C = acc, or C += acc when add
    static void kernel4x2u(int kc, float[] ap, int aOff, float[] bp, int bOff,
                          float[] c, int cOff, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int ao = aOff, bo = bOff;
        int p = 0;
        for (; p + 1 < kc; p += 2, ao += 8, bo += 4 * LANES) {
            {
                FloatVector b0 = FloatVector.fromArray(F, bp, bo);
                FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
                FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
                c00 = a0.fma(b0, c00);
                c01 = a0.fma(b1, c01);
                FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
                c10 = a1.fma(b0, c10);
                c11 = a1.fma(b1, c11);
                FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
                c20 = a2.fma(b0, c20);
                c21 = a2.fma(b1, c21);
                FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
                c30 = a3.fma(b0, c30);
                c31 = a3.fma(b1, c31);
            }
            {
                FloatVector b0 = FloatVector.fromArray(F, bp, bo + 2 * LANES + 0 * LANES);
                FloatVector b1 = FloatVector.fromArray(F, bp, bo + 2 * LANES + 1 * LANES);
                FloatVector a0 = FloatVector.broadcast(F, ap[ao + 4]);
                c00 = a0.fma(b0, c00);
                c01 = a0.fma(b1, c01);
                FloatVector a1 = FloatVector.broadcast(F, ap[ao + 5]);
                c10 = a1.fma(b0, c10);
                c11 = a1.fma(b1, c11);
                FloatVector a2 = FloatVector.broadcast(F, ap[ao + 6]);
                c20 = a2.fma(b0, c20);
                c21 = a2.fma(b1, c21);
                FloatVector a3 = FloatVector.broadcast(F, ap[ao + 7]);
                c30 = a3.fma(b0, c30);
                c31 = a3.fma(b1, c31);
            }
        }
        if (p < kc) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * LANES));
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * LANES));
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * LANES));
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * LANES));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + 1 * LANES);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + 1 * LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + 1 * LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + 1 * LANES);
    }

    // v9: 4 rows x 3 vectors (12 accumulators).
    // ap: packed A micro-panel (kc, 4) at aOff; bp: packed B micro-panel (kc, 3·LANES) at bOff
    // -> C (4, 3·LANES) at cOff with row stride ldc; C = acc, or C += acc when add
    static void kernel4x3(int kc, float[] ap, int aOff, float[] bp, int bOff,
                          float[] c, int cOff, int ldc, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F), c22 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F), c32 = FloatVector.zero(F);
        int ao = aOff, bo = bOff;
        for (int p = 0; p < kc; p++, ao += 4, bo += 3 * LANES) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(F, bp, bo + 2 * LANES);
            FloatVector a0 = FloatVector.broadcast(F, ap[ao + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
        }
        if (add) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff + 0 * ldc));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 1 * LANES));
            c02 = c02.add(FloatVector.fromArray(F, c, cOff + 0 * ldc + 2 * LANES));
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 1 * LANES));
            c12 = c12.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + 2 * LANES));
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 1 * LANES));
            c22 = c22.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + 2 * LANES));
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 1 * LANES));
            c32 = c32.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + 2 * LANES));
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c01.intoArray(c, cOff + 0 * ldc + 1 * LANES);
        c02.intoArray(c, cOff + 0 * ldc + 2 * LANES);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + 1 * LANES);
        c12.intoArray(c, cOff + 1 * ldc + 2 * LANES);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + 1 * LANES);
        c22.intoArray(c, cOff + 2 * ldc + 2 * LANES);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + 1 * LANES);
        c32.intoArray(c, cOff + 3 * ldc + 2 * LANES);
    }

}
