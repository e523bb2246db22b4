package distill4j.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Every switch point, block size and thread count of the SIMD backend, in one place (style note 5).
 *
 * <p>System properties (read once, at class initialisation):
 * <ul>
 *   <li>{@code distill4j.simd.bits} — vector width in bits (128, 256, 512); default: the preferred
 *       species of this CPU (512 with AVX-512, 256 with AVX2).</li>
 *   <li>{@code distill4j.threads} — GEMM worker count including the caller; default
 *       {@code availableProcessors}. Changeable later with {@link SimdBackend#setThreads(int)}.</li>
 *  * </ul>
 */
public final class SimdParams {
    private SimdParams() {}

    /** The float species every SIMD kernel uses. Touching it fails without the incubator module. */
    public static final VectorSpecies<Float> F = floatSpecies(Integer.getInteger("distill4j.simd.bits", 0));

    /** Lanes per float vector (16 with AVX-512). */
    public static final int LANES = F.length();

    // ---------------------------------------------------------------- GEMM

    /**
     * Rows of C one GEMM micro-kernel call computes (rows of a packed A micro-panel): 6 with 512-bit
     * vectors (AVX-512, 32 registers: 12 accumulators), 4 below (AVX2, 16 registers: 8 accumulators;
     * 6 rows spill an accumulator there). See {@code SimdGemmKernels}.
     */
    public static final int MR = LANES >= 16 ? 6 : 4;

    /** Columns of C one micro-kernel call computes: 2 vectors. */
    public static final int NR = 2 * LANES;

    /**
     * Maximum depth of one packed block (see {@link #kcFor}). A B micro-panel (KC × NR floats) should
     * stay in L1 while the micro-kernel sweeps the A block: 256 × 32 × 4 B = 32 KiB of Zen 5's 48 KiB
     * L1d (4 × 2 on AVX2: 256 × 16 × 4 B = 16 KiB of Zen 3's 32 KiB). 128 measured slower (more C
     * traffic), 384 no faster.
     */
    public static final int KC = Integer.getInteger("distill4j.gemm.kc", 256);

    /**
     * The slice depth used for a product of depth k: at most KC, all slices of equal depth (784 → 4 × 196,
     * not 3 × 256 + 16), because a shallow last slice pays the C-tile load and store for few FMAs.
     */
    public static int kcFor(int k) {
        if (k <= KC) return k;
        int slices = (k + KC - 1) / KC;
        return (k + slices - 1) / slices;
    }

    /** Rows of a packed A block (MC × KC floats, kept in L2), a multiple of {@link #MR}. */
    public static final int MC = roundUp(Integer.getInteger("distill4j.gemm.mc", 192), MR);

    /** Columns of a packed B block (KC × NC floats, L2/L3), a multiple of {@link #NR}. */
    public static final int NC = roundUp(Integer.getInteger("distill4j.gemm.nc", 1536), NR);

    /**
     * Below this many multiply-adds (m·n·k) a GEMM runs on the calling thread. Waking a parked worker
     * costs 5–50 µs (futex round trip; more when other processes hold the cores), and 2²¹ ≈ 2·10⁶
     * multiply-adds take ~25 µs on one core at ~160 GFLOP/s: below that, threads do not pay. (The
     * 10-class output layer of the MNIST nets, 128·10·1200 = 1.5·10⁶, stays on one thread.)
     */
    public static final long GEMM_PARALLEL_MIN_MACS = Long.getLong("distill4j.gemm.parallelMinMacs", 1L << 21);

    /**
     * Chunks per thread a parallel GEMM is cut into, taken dynamically: more chunks balance better when
     * cores are shared with other processes; each chunk repacks its A (or B) block, ~1% of its work at 4.
     */
    public static final int GEMM_CHUNKS_PER_THREAD = Integer.getInteger("distill4j.gemm.chunksPerThread", 4);

    /**
     * A parallel GEMM cut along the columns of C packs all of A once, shared by its chunks, when the
     * packed A (m rounded up to MR, times k) has at most this many floats (16 MiB; larger products
     * repack A per chunk as before). Property {@code distill4j.gemm.sharedPackMax}.
     */
    public static final long GEMM_SHARED_PACK_MAX = Long.getLong("distill4j.gemm.sharedPackMax", 1L << 22);

    /**
     * Dropout calls of at least this many elements run on the pool (about 40 µs of work on one core
     * here: below it the dispatch is a noticeable share). Property {@code distill4j.dropout.parallelMin}.
     */
    public static final int DROPOUT_PARALLEL_MIN = Integer.getInteger("distill4j.dropout.parallelMin", 1 << 16);

    /**
     * Whether large dropout calls use the pool at all (default: yes); off keeps every dropout call on
     * the calling thread (a workaround should a JIT box the dropout loop in the workers, as JDK 17 did
     * in some runs, seen by SimdAllocationTest). Property {@code distill4j.dropout.parallel} (true/false).
     */
    public static final boolean DROPOUT_PARALLEL = Boolean.parseBoolean(System.getProperty("distill4j.dropout.parallel", "true"));

    /** Chunks per thread of a parallel dropout call (taken from a shared counter, as GEMM's). */
    public static final int DROPOUT_CHUNKS_PER_THREAD = Integer.getInteger("distill4j.dropout.chunksPerThread", 4);

    /**
     * Fused softmax-CE calls of at least this many logits are cut into {@link #SOFTMAX_CHUNK} row
     * chunks, each summing its rows' losses, added in chunk order, and run on the pool when it has
     * more than one thread: the same bits on every thread count. Smaller calls add their rows' losses
     * in row order on the calling thread. Property {@code distill4j.softmax.parallelMin}.
     */
    public static final int SOFTMAX_PARALLEL_MIN = Integer.getInteger("distill4j.softmax.parallelMin", 1 << 16);

    /** Logits per chunk of a large fused softmax-CE call (whole rows, at least one). */
    public static final int SOFTMAX_CHUNK = Integer.getInteger("distill4j.softmax.chunk", 1 << 13);

    /**
     * Element-wise passes (bias add, ReLU, axpy, scale, the bias gradient, SGD, max-norm rows) over at
     * least this many floats run on the pool, cut into one contiguous range per thread on vector
     * boundaries (each element, row or column computed exactly as on one thread). 2¹⁵ floats take
     * ~10 µs on one core; a pool wake-up costs a few µs. Property {@code distill4j.elementwise.parallelMin}.
     */
    public static final int ELEMENTWISE_PARALLEL_MIN = Integer.getInteger("distill4j.elementwise.parallelMin", 1 << 15);

    /** Iterations a waiting pool thread spins (Thread.onSpinWait) before it parks. */
    public static final int SPIN_ITERATIONS = Integer.getInteger("distill4j.simd.spin", 4_000);

    /** Default worker count, including the calling thread. */
    public static int defaultThreads() {
        int t = Integer.getInteger("distill4j.threads", Runtime.getRuntime().availableProcessors());
        return Math.max(1, t);
    }

    static int roundUp(int x, int multiple) {
        return Math.max(multiple, (x + multiple - 1) / multiple * multiple);
    }

    private static VectorSpecies<Float> floatSpecies(int bits) {
        if (bits == 0) return FloatVector.SPECIES_PREFERRED;
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("distill4j.simd.bits must be 128, 256 or 512, got " + bits);
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
