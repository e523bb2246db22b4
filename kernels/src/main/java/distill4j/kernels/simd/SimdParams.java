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
 *   <li>{@code distill4j.gemm.kernel} — which numbered micro-kernel of {@link SimdGemmKernels} to use
 *       (for measuring the versions against each other; the default is the measured winner).</li>
 * </ul>
 */
public final class SimdParams {
    private SimdParams() {}

    /** The float species every SIMD kernel uses. Touching it fails without the incubator module. */
    public static final VectorSpecies<Float> F = floatSpecies(Integer.getInteger("distill4j.simd.bits", 0));

    /** Lanes per float vector (16 with AVX-512). */
    public static final int LANES = F.length();

    // ---------------------------------------------------------------- GEMM

    /** Micro-kernel version (see {@link SimdGemmKernels} for what each measured); 1 = 6 rows × 2 vectors. */
    public static final int GEMM_KERNEL = Integer.getInteger("distill4j.gemm.kernel", 1);

    /** Rows of C one micro-kernel call computes (rows of a packed A micro-panel). */
    public static final int MR = SimdGemmKernels.rows(GEMM_KERNEL);

    /** Columns of C one micro-kernel call computes, a multiple of {@link #LANES}. */
    public static final int NR = SimdGemmKernels.vectors(GEMM_KERNEL) * LANES;

    /**
     * Depth of one packed block. A B micro-panel (KC × NR floats) should stay in L1 while the
     * micro-kernel sweeps the A block: 256 × 32 × 4 B = 32 KiB of Zen 5's 48 KiB L1d; 128 and 192
     * measured slower (more C traffic), 384 no faster.
     */
    public static final int KC = Integer.getInteger("distill4j.gemm.kc", 256);

    /** Rows of a packed A block (MC × KC floats, kept in L2), a multiple of {@link #MR}. */
    public static final int MC = roundUp(Integer.getInteger("distill4j.gemm.mc", 192), MR);

    /** Columns of a packed B block (KC × NC floats, L2/L3), a multiple of {@link #NR}. */
    public static final int NC = roundUp(Integer.getInteger("distill4j.gemm.nc", 1536), NR);

    /**
     * Below this many multiply-adds (m·n·k) a GEMM runs on the calling thread: waking a worker costs
     * a few microseconds, which is what ~2·10⁵ multiply-adds take on one core.
     */
    public static final long GEMM_PARALLEL_MIN_MACS = Long.getLong("distill4j.gemm.parallelMinMacs", 1L << 18);

    /** Iterations a waiting pool thread spins (Thread.onSpinWait) before it parks. */
    public static final int SPIN_ITERATIONS = Integer.getInteger("distill4j.simd.spin", 4_000);

    /** Default worker count, including the calling thread. */
    static int defaultThreads() {
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
