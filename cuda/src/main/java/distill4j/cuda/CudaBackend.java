package distill4j.cuda;

import distill4j.cuda.dropout.CudaDropout;
import distill4j.cuda.elementwise.CudaElementwise;
import distill4j.cuda.gemm.CudaGemm;
import distill4j.cuda.optim.CudaOptim;
import distill4j.cuda.softmax.CudaSoftmax;
import distill4j.kernels.Backend;

/**
 * The {@link Backend} on the GPU: the CUDA version of every kernel family ({@link CudaGemm},
 * {@link CudaSoftmax}, {@link CudaDropout}, {@link CudaElementwise}, {@link CudaOptim}). The kernel
 * interfaces work on host {@code float[]}, so every call copies its operands into device scratch
 * buffers ({@link HostStaging}, one shared by the families, calls serialised on it), launches the
 * kernels and copies the results back: correct, not fast. A training step that stays on the device
 * uses {@link #deviceKernels()} ({@link CudaDeviceKernels}: the families' {@link DeviceBuffer} methods behind
 * the engine's device seam), or the families' {@link DeviceBuffer} methods directly.
 */
public final class CudaBackend implements Backend {
    private final CudaDevice device;
    private final HostStaging staging;
    private final CudaGemm gemm;
    private final CudaSoftmax softmax;
    private final CudaDropout dropout;
    private final CudaElementwise elementwise;
    private final CudaOptim optim;
    private final CudaDeviceKernels deviceKernels;

    public CudaBackend(CudaDevice device) {
        this.device = device;
        this.staging = new HostStaging(device);
        this.gemm = new CudaGemm(device, staging);
        this.softmax = new CudaSoftmax(device, staging);
        this.dropout = new CudaDropout(device, staging);
        this.elementwise = new CudaElementwise(device, staging);
        this.optim = new CudaOptim(device, staging);
        this.deviceKernels = new CudaDeviceKernels(device, gemm, softmax, dropout, elementwise, optim);
    }

    @Override public String name() { return "cuda"; }
    @Override public CudaGemm gemm() { return gemm; }
    @Override public CudaSoftmax softmax() { return softmax; }
    @Override public CudaDropout dropout() { return dropout; }
    @Override public CudaElementwise elementwise() { return elementwise; }
    @Override public CudaOptim optim() { return optim; }
    /** The kernels on device-resident memory: the engine's {@code Tensor.toDevice} / {@code Module.toDevice}. */
    @Override public CudaDeviceKernels deviceKernels() { return deviceKernels; }

    public CudaDevice device() { return device; }

    /** Frees the scratch buffers (they are allocated again on the next call). */
    public void releaseScratch() {
        staging.release();
    }
}
