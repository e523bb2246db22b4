package distill4j.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A block of device memory with explicit host↔device copies. Sizes are checked on the host before
 * any copy (JCuda would read past a Java array otherwise). Close it to free the memory.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final CudaDevice device;
    private final long bytes;
    private CUdeviceptr ptr;

    DeviceBuffer(CudaDevice device, long bytes) {
        this.device = device;
        this.bytes = bytes;
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, bytes);
        this.ptr = p;
    }

    /** Size in bytes. */
    public long bytes() { return bytes; }

    /** Capacity in floats (or ints). */
    public long floats() { return bytes / Float.BYTES; }

    CUdeviceptr pointer() {
        if (ptr == null) throw new IllegalStateException("DeviceBuffer used after close()");
        return ptr;
    }

    private void check(String op, long n, int hostLength, int elementBytes) {
        if (n < 0 || n > hostLength || n * elementBytes > bytes) {
            throw new IllegalArgumentException(op + ": " + n + " elements do not fit (host array " + hostLength
                    + ", device buffer " + bytes + " bytes)");
        }
    }

    /** Device ← host: the first {@code n} floats of {@code src}. */
    public void copyFrom(float[] src, int n) {
        check("DeviceBuffer.copyFrom(float[])", n, src.length, Float.BYTES);
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyHtoD(pointer(), Pointer.to(src), (long) n * Float.BYTES);
    }

    /** Device ← host: the first {@code n} ints of {@code src}. */
    public void copyFrom(int[] src, int n) {
        check("DeviceBuffer.copyFrom(int[])", n, src.length, Integer.BYTES);
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyHtoD(pointer(), Pointer.to(src), (long) n * Integer.BYTES);
    }

    /** Host ← device: the first {@code n} floats into {@code dst}. */
    public void copyTo(float[] dst, int n) {
        check("DeviceBuffer.copyTo(float[])", n, dst.length, Float.BYTES);
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyDtoH(Pointer.to(dst), pointer(), (long) n * Float.BYTES);
    }

    /** Host ← device: the first {@code n} doubles into {@code dst}. */
    public void copyTo(double[] dst, int n) {
        check("DeviceBuffer.copyTo(double[])", n, dst.length, Double.BYTES);
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyDtoH(Pointer.to(dst), pointer(), (long) n * Double.BYTES);
    }

    /** Device ← device: the first {@code n} floats of {@code src}. */
    public void copyFrom(DeviceBuffer src, long n) {
        if (n < 0 || n * Float.BYTES > Math.min(bytes, src.bytes)) {
            throw new IllegalArgumentException("DeviceBuffer.copyFrom(DeviceBuffer): " + n + " floats do not fit ("
                    + src.bytes + " → " + bytes + " bytes)");
        }
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyDtoD(pointer(), src.pointer(), n * Float.BYTES);
    }

    /** Sets the first {@code n} floats to 0. */
    public void zero(long n) {
        if (n < 0 || n * Float.BYTES > bytes) throw new IllegalArgumentException("DeviceBuffer.zero: " + n + " floats > " + bytes + " bytes");
        if (n == 0) return;
        device.makeCurrent();
        cuMemsetD32(pointer(), 0, n);
    }

    /** A new host array with the first {@code n} floats. */
    public float[] toHost(int n) {
        float[] out = new float[n];
        copyTo(out, n);
        return out;
    }

    @Override
    public void close() {
        if (ptr != null) {
            device.makeCurrent();
            cuMemFree(ptr);
            ptr = null;
        }
    }
}
