package distill4j.bench.peers;

import distill4j.bench.Sgemm;
import distill4j.kernels.gemm.GemmLayout;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * EJML (pure Java, float32) as a GEMM peer: {@code CommonOps_FDRM.mult / multTransB / multTransA} on
 * one thread, their {@code CommonOps_MT_FDRM} twins with {@code EjmlConcurrency.setMaxThreads(n)} on
 * more. The caller's arrays are wrapped, not copied ({@code FMatrixRMaj.wrap}), so EJML reads and writes
 * the same memory as the distill4j kernels do. EJML always overwrites C; accumulate uses multAdd*.
 */
public final class EjmlSgemm implements Sgemm {
    private final int threads;

    public EjmlSgemm(int threads) {
        if (threads < 1) throw new IllegalArgumentException("ejml: threads must be >= 1, got " + threads);
        this.threads = threads;
        if (threads > 1) EjmlConcurrency.setMaxThreads(threads);
    }

    @Override public String name() { return "ejml"; }

    @Override
    public String describe() {
        return "EJML " + version() + " "
                + (threads == 1 ? "CommonOps_FDRM (1 thread)" : "CommonOps_MT_FDRM (maxThreads " + threads + ")");
    }

    /** The EJML version this jar was built with (Maven resource filtering; the shaded jar drops EJML's manifest). */
    static String version() {
        try (InputStream in = EjmlSgemm.class.getResourceAsStream("/distill4j-bench.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("ejml.version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        // wrap() builds a small header object per call; the data arrays are shared, not copied
        FMatrixRMaj cm = FMatrixRMaj.wrap(m, n, c);
        switch (layout) {
            case NN: {
                FMatrixRMaj am = FMatrixRMaj.wrap(m, k, a), bm = FMatrixRMaj.wrap(k, n, b);
                if (threads == 1) {
                    if (accumulate) CommonOps_FDRM.multAdd(am, bm, cm); else CommonOps_FDRM.mult(am, bm, cm);
                } else {
                    if (accumulate) CommonOps_MT_FDRM.multAdd(am, bm, cm); else CommonOps_MT_FDRM.mult(am, bm, cm);
                }
                break;
            }
            case NT: {
                FMatrixRMaj am = FMatrixRMaj.wrap(m, k, a), bm = FMatrixRMaj.wrap(n, k, b);
                if (threads == 1) {
                    if (accumulate) CommonOps_FDRM.multAddTransB(am, bm, cm); else CommonOps_FDRM.multTransB(am, bm, cm);
                } else {
                    if (accumulate) CommonOps_MT_FDRM.multAddTransB(am, bm, cm); else CommonOps_MT_FDRM.multTransB(am, bm, cm);
                }
                break;
            }
            case TN: {
                FMatrixRMaj am = FMatrixRMaj.wrap(k, m, a), bm = FMatrixRMaj.wrap(k, n, b);
                if (threads == 1) {
                    if (accumulate) CommonOps_FDRM.multAddTransA(am, bm, cm); else CommonOps_FDRM.multTransA(am, bm, cm);
                } else {
                    if (accumulate) CommonOps_MT_FDRM.multAddTransA(am, bm, cm); else CommonOps_MT_FDRM.multTransA(am, bm, cm);
                }
                break;
            }
            default:
                throw new IllegalArgumentException("ejml gemm: unknown layout " + layout);
        }
    }
}
