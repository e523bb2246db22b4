package distill4j.bench.variants;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import distill4j.kernels.gemm.GemmLayout;
import distill4j.kernels.simd.SimdParams;
import jdk.incubator.vector.FloatVector;

/**
 * The library's packed GEMM ({@code distill4j.kernels.gemm.SimdGemm}: Goto/BLIS blocking with the
 * block sizes of {@link SimdParams}, balanced KC slices, zero-padded micro-panels, edge tiles through a
 * scratch tile), single-threaded, with any numbered micro-kernel of {@link GemmMicroKernels} in place
 * of the shipped one, and optionally plain KC slices (784 → 3 × 256 + 16, formerly the library's
 * {@code distill4j.gemm.balancedKc=false}) instead of the shipped balanced ones (784 → 4 × 196). Used
 * only to measure the versions against each other.
 */
public final class PackedGemm {
    private final int version, mr, nr, mc, nc;
    private final boolean balancedKc;
    private final float[] aPack, bPack, tile;

    public PackedGemm(int version) {
        this(version, true);
    }

    public PackedGemm(int version, boolean balancedKc) {
        this.version = version;
        this.balancedKc = balancedKc;
        this.mr = GemmMicroKernels.rows(version);
        this.nr = GemmMicroKernels.vectors(version) * LANES;
        this.mc = roundUp(SimdParams.MC, mr);
        this.nc = roundUp(SimdParams.NC, nr);
        this.aPack = new float[mc * SimdParams.KC];
        this.bPack = new float[SimdParams.KC * nc];
        this.tile = new float[mr * nr];
    }

    private static int roundUp(int x, int multiple) {
        return Math.max(multiple, (x + multiple - 1) / multiple * multiple);
    }

    // NN: A (m, k), B (k, n) | NT: A (m, k), B (n, k) | TN: A (k, m), B (k, n)  ->  C (m, n)
    public void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) java.util.Arrays.fill(c, 0, m * n, 0f);
            return;
        }
        int kStep = balancedKc ? SimdParams.kcFor(k) : Math.min(k, SimdParams.KC);
        for (int jc = 0; jc < n; jc += nc) {
            int ncb = Math.min(nc, n - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                boolean add = accumulate || pc > 0;
                packB(layout, b, n, k, jc, ncb, pc, kc);
                for (int ic = 0; ic < m; ic += mc) {
                    int mcb = Math.min(mc, m - ic);
                    packA(layout, a, m, k, ic, mcb, pc, kc);
                    macroKernel(mcb, ncb, kc, c, ic, jc, n, add);
                }
            }
        }
    }

    private void macroKernel(int mcb, int ncb, int kc, float[] c, int ic, int jc, int ldc, boolean add) {
        for (int jr = 0; jr < ncb; jr += nr) {
            int nrb = Math.min(nr, ncb - jr);
            int bOff = jr * kc;
            for (int ir = 0; ir < mcb; ir += mr) {
                int mrb = Math.min(mr, mcb - ir);
                int aOff = ir * kc;
                int cOff = (ic + ir) * ldc + jc + jr;
                if (mrb == mr && nrb == nr) {
                    GemmMicroKernels.run(version, kc, aPack, aOff, bPack, bOff, c, cOff, ldc, add);
                } else {
                    GemmMicroKernels.run(version, kc, aPack, aOff, bPack, bOff, tile, 0, nr, false);
                    for (int i = 0; i < mrb; i++) {
                        int co = cOff + i * ldc, to = i * nr;
                        if (add) {
                            for (int j = 0; j < nrb; j++) c[co + j] += tile[to + j];
                        } else {
                            System.arraycopy(tile, to, c, co, nrb);
                        }
                    }
                }
            }
        }
    }

    // aPack[ir*kc + p*mr + i] = A(ic+ir+i, pc+p), zero padded
    private void packA(GemmLayout layout, float[] a, int m, int k, int ic, int mcb, int pc, int kc) {
        for (int ir = 0; ir < mcb; ir += mr) {
            int base = ir * kc;
            int rows = Math.min(mr, mcb - ir);
            if (layout == GemmLayout.TN) {
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * m + ic + ir, dst = base + p * mr;
                    for (int i = 0; i < rows; i++) aPack[dst + i] = a[src + i];
                    for (int i = rows; i < mr; i++) aPack[dst + i] = 0f;
                }
            } else {
                for (int i = 0; i < rows; i++) {
                    int src = (ic + ir + i) * k + pc, dst = base + i;
                    for (int p = 0; p < kc; p++) aPack[dst + p * mr] = a[src + p];
                }
                for (int i = rows; i < mr; i++) {
                    for (int p = 0; p < kc; p++) aPack[base + i + p * mr] = 0f;
                }
            }
        }
    }

    // bPack[jr*kc + p*nr + j] = B(pc+p, jc+jr+j), zero padded
    private void packB(GemmLayout layout, float[] b, int n, int k, int jc, int ncb, int pc, int kc) {
        for (int jr = 0; jr < ncb; jr += nr) {
            int base = jr * kc;
            int cols = Math.min(nr, ncb - jr);
            if (layout == GemmLayout.NT) {
                for (int j = 0; j < cols; j++) {
                    int src = (jc + jr + j) * k + pc, dst = base + j;
                    for (int p = 0; p < kc; p++) bPack[dst + p * nr] = b[src + p];
                }
                for (int j = cols; j < nr; j++) {
                    for (int p = 0; p < kc; p++) bPack[base + j + p * nr] = 0f;
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * n + jc + jr, dst = base + p * nr;
                    if (cols == nr) {
                        for (int v = 0; v < nr; v += LANES) FloatVector.fromArray(F, b, src + v).intoArray(bPack, dst + v);
                    } else {
                        for (int j = 0; j < cols; j++) bPack[dst + j] = b[src + j];
                        for (int j = cols; j < nr; j++) bPack[dst + j] = 0f;
                    }
                }
            }
        }
    }
}
