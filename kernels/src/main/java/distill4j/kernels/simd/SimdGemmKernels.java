package distill4j.kernels.simd;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import jdk.incubator.vector.FloatVector;

/**
 * The register-blocked GEMM micro-kernels, numbered (style note 14). Each computes an MR × NR tile of
 * C from a packed A micro-panel (kc × MR, MR floats per k step) and a packed B micro-panel
 * (kc × NR, NR floats per k step): per k step it loads NR/LANES vectors of B, broadcasts MR scalars of
 * A and issues MR·NR/LANES independent FMAs, so the FMA latency (4 cycles, 2 pipes on Zen 5) is hidden
 * by at least 8 independent accumulator chains.
 *
 * <p>Measured (best of several runs of {@code SimdGemmBench}, 1 thread, JDK 25, AMD EPYC Zen 5 with
 * AVX-512, KC = 256; GFLOP/s at (128×784)·(784×1200) / (128×1200)·(1200×1200), NN). The machine was
 * shared with other jobs, so single runs varied by ±30%; only the ranking is firm.
 * <ul>
 *   <li>v1  6×2: 172 / 157 — default: as fast as v2, fewer registers (12 + 2 + 1), so it has
 *       headroom on 16-register AVX2 too; 180–193 on the k = 128 TN shapes.</li>
 *   <li>v2  8×2: 168 / 157.</li>
 *   <li>v3  8×3: 132 / 133 — 24 accumulators + 3 B vectors: C2 starts to spill.</li>
 *   <li>v4 12×2: 114 / 104 — spills.</li>
 *   <li>v5  4×4: 159 / 118 — 4 B loads per 4 broadcasts: load-bound.</li>
 * </ul>
 * On AVX2 (AMD EPYC Zen 3, 8 floats a vector, 16 vector registers; same harness, 1 thread, a noisy
 * shared machine, GFLOP/s at the five MLP shapes NN 784 / NN 1200 / NT / TN 1200 / TN 784):
 * <ul>
 *   <li>v1 6×2: JDK 25 31 / 32 / 31 / 34 / 34, JDK 17 33–45. JDK 25's C2 keeps three broadcast
 *       registers live beside the 12 accumulators and 2 B vectors, spills one accumulator, and so
 *       stores and reloads it in every k step (read in the disassembly, hsdis from Debian's
 *       libhsdis0-fcml).</li>
 *   <li>v6 4×2 — default below 512 bits ({@link SimdParams#GEMM_KERNEL}): JDK 25 63 / 53 / 58 / 60 / 57,
 *       JDK 17 35–56; 8 accumulators cover the 4-cycle FMA latency on 2 pipes exactly, 14 registers.</li>
 *   <li>v7 5×2: JDK 25 23–27 (spills), JDK 17 42–53. v8 (v6 with k unrolled by 2): no better than v6.
 *       v9 4×3: JDK 17 37–44 (16 registers: spills).</li>
 * </ul>
 * Reproduce: {@code java --add-modules jdk.incubator.vector -Ddistill4j.threads=1 -Ddistill4j.gemm.kernel=N
 * -cp kernels/target/classes:kernels/target/test-classes distill4j.kernels.simd.SimdGemmBench}.
 * A first version of all five called a helper to store C; it failed to inline (NodeCountInliningCutoff)
 * and boxed the accumulators: 9–45 GFLOP/s. Stores are therefore written out in each kernel.
 * The kernels are unrolled by hand (written once by a throwaway script), the only way to keep
 * accumulators in registers with the Vector API: edit all versions alike.
 */
final class SimdGemmKernels {
    private SimdGemmKernels() {}

    static int rows(int version) {
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
            default: throw new IllegalArgumentException("distill4j.gemm.kernel must be 1..9, got " + version);
        }
    }

    static int vectors(int version) {
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
            default: throw new IllegalArgumentException("distill4j.gemm.kernel must be 1..9, got " + version);
        }
    }

    /** Runs micro-kernel {@code version} (a compile-time constant at the call site, so the switch folds). */
    static void run(int version, int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff,
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
