package distill4j.bench.gpu;

import distill4j.cuda.CudaDevice;
import distill4j.kernels.gemm.GemmLayout;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

/**
 * The cuBLAS peer of the GPU GEMM benchmark: {@code cublasSgemm} through JCublas2 on device memory of
 * the distill4j CUDA device's context (its primary context, which the CUDA runtime under cuBLAS shares).
 * Used only in bench/: the library never depends on cuBLAS.
 *
 * <p>cuBLAS is column-major; distill4j's arrays are row-major. A row-major (r, c) array is the
 * column-major (c, r) matrix of its transpose, so C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ
 * with B passed first: {@link #columnMajor} is that mapping, checked on the CPU in CublasSgemmTest.
 */
public final class CublasSgemm implements AutoCloseable {

    /** The arguments of one column-major sgemm call: C(m×n) = op(first)·op(second), as BLAS names them. */
    public record Call(boolean transFirst, boolean transSecond, int m, int n, int k, int ldFirst, int ldSecond, int ldc) {}

    /**
     * Row-major C (m, n) = op(A)·op(B) (NN: A (m, k), B (k, n) | NT: A (m, k), B (n, k) | TN: A (k, m),
     * B (k, n)) as a column-major call Cᵀ (n×m) = op(B)ᵀ (n×k) · op(A)ᵀ (k×m), "first" = B, "second" = A.
     */
    public static Call columnMajor(GemmLayout layout, int m, int n, int k) {
        return switch (layout) {
            // B's memory is Bᵀ (n×k, ld n), A's is Aᵀ (k×m, ld k): no transposes
            case NN -> new Call(false, false, n, m, k, n, k, n);
            // B (n, k) row-major is column-major Bᵀ (k×n, ld k); op(B)ᵀ = B: transpose it back
            case NT -> new Call(true, false, n, m, k, k, k, n);
            // A (k, m) row-major is column-major Aᵀ (m×k, ld m); op(A)ᵀ = A: transpose it back
            case TN -> new Call(false, true, n, m, k, n, m, n);
        };
    }

    private final CudaDevice device;
    private final cublasHandle handle = new cublasHandle();
    private final Pointer one = Pointer.to(new float[] {1f}), zero = Pointer.to(new float[] {0f});

    /** Opens cuBLAS on the device's context; throws (UnsatisfiedLinkError, CudaException) when it cannot. */
    public CublasSgemm(CudaDevice device) {
        this.device = device;
        JCublas2.setExceptionsEnabled(true);
        device.makeCurrent();
        JCublas2.cublasCreate(handle);
    }

    /** cuBLAS's version number, e.g. 120603. */
    public int version() {
        int[] v = new int[1];
        JCublas2.cublasGetVersion(handle, v);
        return v[0];
    }

    /** C = op(A)·op(B) on device memory, row-major as {@link #columnMajor} describes; asynchronous. */
    public void gemm(GemmLayout layout, int m, int n, int k, CUdeviceptr a, CUdeviceptr b, CUdeviceptr c) {
        Call x = columnMajor(layout, m, n, k);
        device.makeCurrent();
        JCublas2.cublasSgemm(handle, x.transFirst() ? CUBLAS_OP_T : CUBLAS_OP_N, x.transSecond() ? CUBLAS_OP_T : CUBLAS_OP_N,
                x.m(), x.n(), x.k(), one, b, x.ldFirst(), a, x.ldSecond(), zero, c, x.ldc());
    }

    /** Device memory holding {@code host} (freed with {@link #free}). */
    public CUdeviceptr upload(float[] host) {
        device.makeCurrent();
        CUdeviceptr p = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(p, Math.max(1, (long) host.length * Sizeof.FLOAT));
        JCudaDriver.cuMemcpyHtoD(p, Pointer.to(host), (long) host.length * Sizeof.FLOAT);
        return p;
    }

    public void download(CUdeviceptr p, float[] host) {
        device.makeCurrent();
        JCudaDriver.cuMemcpyDtoH(Pointer.to(host), p, (long) host.length * Sizeof.FLOAT);
    }

    public void free(CUdeviceptr p) {
        if (p == null) return;
        device.makeCurrent();
        JCudaDriver.cuMemFree(p);
    }

    @Override
    public void close() {
        device.makeCurrent();
        JCublas2.cublasDestroy(handle);
    }
}
