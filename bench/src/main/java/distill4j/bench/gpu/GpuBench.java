package distill4j.bench.gpu;

import distill4j.cuda.CudaDevice;
import distill4j.cuda.DeviceBuffer;

/** What the GPU benchmarks share: opening the device with a clear reason when there is none, uploads. */
final class GpuBench {
    private GpuBench() {}

    /** The CUDA device, or an exception saying why there is none (JMH prints it and goes on). */
    static CudaDevice device() {
        try {
            return CudaDevice.get();
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("GPU benchmark skipped: the cuda module and JCuda are not on the class "
                    + "path (run it through cuda/gpu-check.sh, not benchmarks.jar alone): " + e, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("GPU benchmark skipped: " + e.getMessage(), e);
        }
    }

    static DeviceBuffer upload(CudaDevice device, float[] host) {
        DeviceBuffer b = device.allocateFloats(host.length);
        b.copyFrom(host, host.length);
        return b;
    }
}
