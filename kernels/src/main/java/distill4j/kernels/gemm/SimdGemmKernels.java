package distill4j.kernels.gemm;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import distill4j.kernels.simd.SimdParams;
import jdk.incubator.vector.FloatVector;

/**
 * The register-blocked GEMM micro-kernels. Each computes an MR × NR tile of C from a packed A
 * micro-panel (kc × MR, MR floats per k step) and a packed B micro-panel (kc × NR, NR floats per
 * k step): per k step it loads NR/LANES vectors of B, broadcasts MR scalars of A and issues
 * MR·NR/LANES independent FMAs, so the FMA latency (4 cycles, 2 pipes) is hidden by at least 8
 * independent accumulator chains.
 *
 * <p>Which one runs follows the vector width, because the register file does:
 * <ul>
 *   <li>512 bits (AVX-512, 32 vector registers): 6 rows × 2 vectors, 12 accumulators + 2 B vectors +
 *       1 broadcast.</li>
 *   <li>narrower (AVX2, 16 registers): 4 rows × 2 vectors, 8 accumulators, 14 registers. 6 × 2 spills
 *       there: C2 keeps three broadcast registers live beside the 12 accumulators and the 2 B vectors,
 *       and stores and reloads one accumulator in every k step.</li>
 * </ul>
 * Both give bit-identical products (one FMA chain per element of C, in k order). The losing versions
 * and their measurements are in {@code bench/} (see bench/README.md).
 *
 * <p>The kernels are unrolled by hand, the only way to keep the accumulators in registers with the
 * Vector API; the stores of C are written out in each kernel because a shared store helper failed to
 * inline (NodeCountInliningCutoff) and boxed the accumulators.
 */
final class SimdGemmKernels {
    private SimdGemmKernels() {}

    /** 6 × 2 at 512 bits, 4 × 2 below ({@link SimdParams#MR}; a constant: the branch in {@link #run} folds). */
    private static final boolean WIDE = SimdParams.MR == 6;

    // ap (kc, MR) at aOff, bp (kc, NR) at bOff -> C (MR, NR) at cOff, row stride ldc; C = acc, or C += acc when add
    static void run(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc, boolean add) {
        if (WIDE) kernel6x2(kc, ap, aOff, bp, bOff, c, cOff, ldc, add);
        else kernel4x2(kc, ap, aOff, bp, bOff, c, cOff, ldc, add);
    }

    // 6 rows × 2 vectors (12 accumulators): the kernel at 512 bits.
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

    // 4 rows × 2 vectors (8 accumulators): the kernel below 512 bits.
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
}
