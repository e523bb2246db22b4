package distill4j.kernels.gemm;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.KC;
import static distill4j.kernels.simd.SimdParams.LANES;
import static distill4j.kernels.simd.SimdParams.MC;
import static distill4j.kernels.simd.SimdParams.MR;
import static distill4j.kernels.simd.SimdParams.NC;
import static distill4j.kernels.simd.SimdParams.NR;

import distill4j.kernels.Checks;
import distill4j.kernels.simd.SimdParams;
import distill4j.kernels.simd.SimdPool;
import jdk.incubator.vector.FloatVector;

/**
 * SGEMM in the Goto/BLIS structure: C is cut into NC-column blocks (and, when threaded, chunks); for
 * each KC-deep slice, B is packed into NR-wide micro-panels and A into MR-high micro-panels (zero
 * padded, so the micro-kernel never sees a tail), and a register-blocked micro-kernel
 * ({@link SimdGemmKernels}) computes each MR × NR tile. Tiles that stick out of C are computed into
 * a scratch tile and copied. Large products are cut into chunks of whole tiles that the threads of a
 * {@link SimdPool} take in turn.
 *
 * <p>Two layouts of the packing follow the MLP's shapes (batch 128: m ≤ MC, or n ≥ m): with one A
 * block, each B micro-panel is packed just before the block's tiles use it and by them only, so the
 * packed panel stays in L1 ({@code macroKernelPackingB}); a parallel GEMM cut along C's columns packs
 * A once for all its chunks ({@code GemmTask}). Neither changes what is computed: every element of C is,
 * for each depth slice of {@link SimdParams#kcFor} in order, a float FMA chain in k order from 0, then
 * stored (first slice, overwrite) or added to C — the same bits on every thread count, block size and
 * vector width (pinned by {@code SimdGemmBitsTest}).
 *
 * <p>Pack buffers are per thread (a {@link ThreadLocal} holding arrays sized for the largest blocks),
 * allocated on a thread's first GEMM and reused after that; the shared packed A is one array grown to
 * the largest product seen (at most {@link SimdParams#GEMM_SHARED_PACK_MAX} floats).
 */
public final class SimdGemm implements GemmKernels {

    private static final GemmTask TASK = new GemmTask();

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread pack buffers and the edge tile. */
    static final class Scratch {
        final float[] aPack = new float[MC * KC];
        final float[] bPack = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    // NN: A (m, k), B (k, n) | NT: A (m, k), B (n, k) | TN: A (k, m), B (k, n)  ->  C (m, n)
    @Override
    public void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        Checks.gemm(layout, m, n, k, a, b, c);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) java.util.Arrays.fill(c, 0, m * n, 0f);
            return;
        }
        SimdPool p = SimdPool.shared();
        long macs = (long) m * n * k;
        int parts = 1, chunks = 1;
        if (p.threads() > 1 && macs >= SimdParams.GEMM_PARALLEL_MIN_MACS) {
            // split the larger of m and n into chunks of whole micro-tiles
            int tiles = n >= m ? (n + NR - 1) / NR : (m + MR - 1) / MR;
            parts = Math.min(p.threads(), tiles);
            chunks = Math.min(tiles, parts * SimdParams.GEMM_CHUNKS_PER_THREAD);
        }
        if (parts > 1) {
            synchronized (TASK) {
                TASK.set(layout, m, n, k, a, b, c, accumulate, chunks);
                boolean ran = p.tryRun(TASK, parts);
                TASK.clear();
                if (ran) return;
            }
        }
        gemmRange(layout, m, n, k, a, b, c, accumulate, 0, m, 0, n, SCRATCH.get());
    }

    /**
     * The reusable parallel job, in two phases. When C is cut along its columns (n ≥ m, every GEMM of
     * the MLP), all of A is first packed once into a shared buffer ({@link #packedA}), the threads
     * taking its MR-row micro-panels from an atomic counter, so that no chunk repacks A (with 4 chunks a
     * thread, repacking cost each thread as much packing as 4 whole As). Then C is cut into
     * {@link SimdParams#GEMM_CHUNKS_PER_THREAD}·threads chunks of whole tiles along its larger side, and
     * every thread takes the next chunk from an atomic counter until none are left: a thread that the
     * OS deschedules (other processes on the cores) delays only its current chunk, not a fixed half of
     * the product. Chunk edges are tile edges and k is never split, so every element of C is computed
     * by the same FMA chains whatever the thread count (results are bit-identical).
     */
    private static final class GemmTask implements SimdPool.Task {
        GemmLayout layout;
        int m, n, k;
        float[] a, b, c;
        boolean accumulate;
        int chunks;
        /** Whether A is packed once into {@link #aAll} (column split) and how many micro-panels it has. */
        boolean sharedA;
        int aPanels;
        float[] aAll;
        final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger packNext = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger packDone = new java.util.concurrent.atomic.AtomicInteger();

        void set(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate, int chunks) {
            this.layout = layout;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.b = b;
            this.c = c;
            this.accumulate = accumulate;
            this.chunks = chunks;
            aPanels = (m + MR - 1) / MR;
            long packed = (long) aPanels * MR * k;
            sharedA = n >= m && packed <= SimdParams.GEMM_SHARED_PACK_MAX;
            if (sharedA) aAll = packedA((int) packed);
            next.set(0);
            packNext.set(0);
            packDone.set(0);
        }

        void clear() {
            a = b = c = null;
            aAll = null;
        }

        @Override
        public void run(int part, int parts) {
            Scratch s = SCRATCH.get();
            boolean byColumns = n >= m;
            if (sharedA) {
                int kStep = SimdParams.kcFor(k);
                for (int panel; (panel = packNext.getAndIncrement()) < aPanels; ) {
                    packAPanelAllSlices(layout, a, m, k, kStep, panel * MR, aAll);
                    packDone.incrementAndGet();
                }
                // every panel is claimed: wait for the ones other threads are still packing
                for (int spins = 0; packDone.get() < aPanels; spins++) {
                    if (spins < SimdParams.SPIN_ITERATIONS) Thread.onSpinWait();
                    else Thread.yield();
                }
            }
            int len = byColumns ? n : m, tile = byColumns ? NR : MR;
            int tiles = (len + tile - 1) / tile;
            for (int chunk; (chunk = next.getAndIncrement()) < chunks; ) {
                // chunk → [t0, t1) tiles, the first (tiles % chunks) chunks one tile larger
                int per = tiles / chunks, extra = tiles % chunks;
                int t0 = chunk * per + Math.min(chunk, extra);
                int t1 = t0 + per + (chunk < extra ? 1 : 0);
                int r0 = Math.min(len, t0 * tile), r1 = Math.min(len, t1 * tile);
                if (r0 >= r1) continue;
                if (sharedA) gemmColumns(layout, m, n, k, aAll, b, c, accumulate, r0, r1, s);
                else if (byColumns) gemmRange(layout, m, n, k, a, b, c, accumulate, 0, m, r0, r1, s);
                else gemmRange(layout, m, n, k, a, b, c, accumulate, r0, r1, 0, n, s);
            }
        }
    }

    /** The shared buffer for A packed whole (guarded by the lock on TASK); grown, never shrunk. */
    private static float[] aAllBuffer = new float[0];

    private static float[] packedA(int length) {
        if (aAllBuffer.length < length) aAllBuffer = new float[length];
        return aAllBuffer;
    }

    // A rows [i0, i0+MR) (zero padded past m), every depth slice -> aAll: slice pc at pc·mPad, laid out as packA's
    private static void packAPanelAllSlices(GemmLayout layout, float[] a, int m, int k, int kStep, int i0, float[] aAll) {
        int mPad = (m + MR - 1) / MR * MR;
        int rows = Math.min(MR, m - i0);
        for (int pc = 0; pc < k; pc += kStep) {
            int kc = Math.min(kStep, k - pc);
            packAPanel(layout, a, m, k, i0, rows, pc, kc, aAll, pc * mPad + i0 * kc);
        }
    }

    /** C[:, j0:j1] of the product, from A packed whole (aAll, see packAPanelAllSlices). */
    static void gemmColumns(GemmLayout layout, int m, int n, int k, float[] aAll, float[] b, float[] c, boolean accumulate,
                            int j0, int j1, Scratch s) {
        float[] bPack = s.bPack;
        int kStep = SimdParams.kcFor(k);
        int mPad = (m + MR - 1) / MR * MR;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                boolean add = accumulate || pc > 0;
                if (m <= MC) {
                    macroKernelPackingB(layout, b, n, k, pc, m, nc, kc, aAll, pc * mPad, bPack, c, 0, jc, add, s.tile);
                    continue;
                }
                packB(layout, b, n, k, jc, nc, pc, kc, bPack);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    macroKernel(mc, nc, kc, aAll, pc * mPad + ic * kc, bPack, c, ic, jc, n, add, s.tile);
                }
            }
        }
    }

    /** C[i0:i1, j0:j1] of the product, blocked and packed. */
    static void gemmRange(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate,
                          int i0, int i1, int j0, int j1, Scratch s) {
        float[] aPack = s.aPack, bPack = s.bPack;
        int kStep = SimdParams.kcFor(k);
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                boolean add = accumulate || pc > 0;
                if (i1 - i0 <= MC) {
                    // one A block: each B micro-panel is used by this block only, pack it just before
                    packA(layout, a, m, k, i0, i1 - i0, pc, kc, aPack);
                    macroKernelPackingB(layout, b, n, k, pc, i1 - i0, nc, kc, aPack, 0, bPack, c, i0, jc, add, s.tile);
                    continue;
                }
                packB(layout, b, n, k, jc, nc, pc, kc, bPack);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(layout, a, m, k, ic, mc, pc, kc, aPack);
                    macroKernel(mc, nc, kc, aPack, 0, bPack, c, ic, jc, n, add, s.tile);
                }
            }
        }
    }

    // aPack at aBase: mc rows as ceil(mc/MR) micro-panels (kc, MR); bPack: nc columns as ceil(nc/NR) micro-panels (kc, NR)
    // -> C[ic:ic+mc, jc:jc+nc] (row stride ldc)
    private static void macroKernel(int mc, int nc, int kc, float[] aPack, int aBase, float[] bPack, float[] c, int ic, int jc,
                                    int ldc, boolean add, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            panelColumn(mc, Math.min(NR, nc - jr), kc, aPack, aBase, bPack, jr * kc, c, ic * ldc + jc + jr, ldc, add, tile);
        }
    }

    /**
     * As {@link #macroKernel}, but each B micro-panel (kc, NR) is packed into the start of bPack just
     * before the A block's tiles use it, and used by them only: the packed panel (at most 32 KiB) stays
     * in L1 instead of a whole packed B slice going out to L3 and back. For one A block (mc ≤ MC: the
     * MLP's batch of 128), where no other block would reuse a packed B slice.
     */
    private static void macroKernelPackingB(GemmLayout layout, float[] b, int n, int k, int pc, int mc, int nc, int kc,
                                            float[] aPack, int aBase, float[] bPack, float[] c, int ic, int jc, boolean add,
                                            float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            packBPanel(layout, b, n, k, jc + jr, nr, pc, kc, bPack, 0);
            panelColumn(mc, nr, kc, aPack, aBase, bPack, 0, c, ic * n + jc + jr, n, add, tile);
        }
    }

    // the tiles of one B micro-panel (bPack at bOff, nr ≤ NR valid columns) down mc rows of packed A -> C at cOff
    private static void panelColumn(int mc, int nr, int kc, float[] aPack, int aBase, float[] bPack, int bOff,
                                    float[] c, int cOff0, int ldc, boolean add, float[] tile) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int aOff = aBase + ir * kc;
            int cOff = cOff0 + ir * ldc;
            if (mr == MR && nr == NR) {
                SimdGemmKernels.run(kc, aPack, aOff, bPack, bOff, c, cOff, ldc, add);
            } else {
                // edge tile: full tile into scratch, then the valid part into C
                SimdGemmKernels.run(kc, aPack, aOff, bPack, bOff, tile, 0, NR, false);
                for (int i = 0; i < mr; i++) {
                    int co = cOff + i * ldc, to = i * NR;
                    if (add) {
                        for (int j = 0; j < nr; j++) c[co + j] += tile[to + j];
                    } else {
                        System.arraycopy(tile, to, c, co, nr);
                    }
                }
            }
        }
    }

    // A block rows [ic, ic+mc), depth [pc, pc+kc) -> aPack micro-panels: aPack[ir*kc + p*MR + i] = A(ic+ir+i, pc+p)
    private static void packA(GemmLayout layout, float[] a, int m, int k, int ic, int mc, int pc, int kc, float[] aPack) {
        for (int ir = 0; ir < mc; ir += MR) {
            packAPanel(layout, a, m, k, ic + ir, Math.min(MR, mc - ir), pc, kc, aPack, ir * kc);
        }
    }

    // A rows [i0, i0+rows), depth [pc, pc+kc) -> one micro-panel at base: aPack[base + p*MR + i] = A(i0+i, pc+p), zero padded to MR rows
    private static void packAPanel(GemmLayout layout, float[] a, int m, int k, int i0, int rows, int pc, int kc,
                                   float[] aPack, int base) {
        if (layout == GemmLayout.TN) {
            // A stored (k, m): A(i, p) = a[p*m + i], contiguous in i
            for (int p = 0; p < kc; p++) {
                int src = (pc + p) * m + i0, dst = base + p * MR;
                for (int i = 0; i < rows; i++) aPack[dst + i] = a[src + i];
                for (int i = rows; i < MR; i++) aPack[dst + i] = 0f;
            }
        } else {
            // A stored (m, k): A(i, p) = a[i*k + p], contiguous in p
            for (int i = 0; i < rows; i++) {
                int src = (i0 + i) * k + pc, dst = base + i;
                for (int p = 0; p < kc; p++) aPack[dst + p * MR] = a[src + p];
            }
            for (int i = rows; i < MR; i++) {
                for (int p = 0; p < kc; p++) aPack[base + i + p * MR] = 0f;
            }
        }
    }

    // B block columns [jc, jc+nc), depth [pc, pc+kc) -> bPack micro-panels: bPack[jr*kc + p*NR + j] = B(pc+p, jc+jr+j)
    private static void packB(GemmLayout layout, float[] b, int n, int k, int jc, int nc, int pc, int kc, float[] bPack) {
        for (int jr = 0; jr < nc; jr += NR) {
            packBPanel(layout, b, n, k, jc + jr, Math.min(NR, nc - jr), pc, kc, bPack, jr * kc);
        }
    }

    // B columns [j0, j0+cols), depth [pc, pc+kc) -> one micro-panel at base: bPack[base + p*NR + j] = B(pc+p, j0+j), zero padded to NR
    private static void packBPanel(GemmLayout layout, float[] b, int n, int k, int j0, int cols, int pc, int kc,
                                   float[] bPack, int base) {
        if (layout == GemmLayout.NT) {
            // B stored (n, k): B(p, j) = b[j*k + p], contiguous in p (a transpose)
            for (int j = 0; j < cols; j++) {
                int src = (j0 + j) * k + pc, dst = base + j;
                for (int p = 0; p < kc; p++) bPack[dst + p * NR] = b[src + p];
            }
            for (int j = cols; j < NR; j++) {
                for (int p = 0; p < kc; p++) bPack[base + j + p * NR] = 0f;
            }
        } else {
            // B stored (k, n): B(p, j) = b[p*n + j], contiguous in j: copy vectors
            for (int p = 0; p < kc; p++) {
                int src = (pc + p) * n + j0, dst = base + p * NR;
                if (cols == NR) {
                    for (int v = 0; v < NR; v += LANES) {
                        FloatVector.fromArray(F, b, src + v).intoArray(bPack, dst + v);
                    }
                } else {
                    for (int j = 0; j < cols; j++) bPack[dst + j] = b[src + j];
                    for (int j = cols; j < NR; j++) bPack[dst + j] = 0f;
                }
            }
        }
    }
}
