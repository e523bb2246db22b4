package distill4j.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import distill4j.kernels.device.DeviceArray;
import distill4j.kernels.device.TransferCounter;
import java.lang.ref.Cleaner;
import java.util.concurrent.ConcurrentLinkedQueue;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A block of device memory with explicit host↔device copies. Sizes are checked on the host before
 * any copy (JCuda would read past a Java array otherwise). Close it to free the memory; a buffer made
 * for the engine ({@link #freeWhenUnreachable()}) is also freed after the garbage collector found it
 * unreachable — not from the collector's thread, but by the next allocation on the device's user's
 * thread, so the driver is only ever called from the threads that use it.
 *
 * <p>Every host↔device copy of every buffer is counted in {@link #transfers()} (calls and bytes per
 * direction; device→device copies and memsets are not copies between host and device).
 */
public final class DeviceBuffer implements AutoCloseable, DeviceArray {
    private static final TransferCounter TRANSFERS = new TransferCounter();
    private static final Cleaner CLEANER = Cleaner.create();
    /** Memory of buffers found unreachable, freed by the next {@link #freeUnreachable()}. */
    private static final ConcurrentLinkedQueue<CUdeviceptr> UNREACHABLE = new ConcurrentLinkedQueue<>();

    private final CudaDevice device;
    private final long bytes;
    /** Holds the pointer; the cleaner's action must not refer to the buffer itself. */
    private final Handle handle;

    /** The pointer, taken exactly once: by close() or by the cleaner (which queues it). */
    private static final class Handle implements Runnable {
        private CUdeviceptr ptr;

        Handle(CUdeviceptr ptr) {
            this.ptr = ptr;
        }

        synchronized CUdeviceptr get() {
            return ptr;
        }

        synchronized CUdeviceptr take() {
            CUdeviceptr p = ptr;
            ptr = null;
            return p;
        }

        @Override
        public void run() {
            CUdeviceptr p = take();
            if (p != null) UNREACHABLE.add(p);
        }
    }

    DeviceBuffer(CudaDevice device, long bytes) {
        this.device = device;
        this.bytes = bytes;
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, bytes);
        this.handle = new Handle(p);
    }

    /** Host↔device copies made by every buffer of this JVM so far. */
    public static TransferCounter transfers() {
        return TRANSFERS;
    }

    /** Frees the memory when this buffer becomes unreachable without being closed; returns this. */
    DeviceBuffer freeWhenUnreachable() {
        CLEANER.register(this, handle);
        return this;
    }

    /** Frees the memory of buffers found unreachable (call with the device's context current). */
    static void freeUnreachable() {
        for (CUdeviceptr p = UNREACHABLE.poll(); p != null; p = UNREACHABLE.poll()) cuMemFree(p);
    }

    /** Size in bytes. */
    public long bytes() { return bytes; }

    /** Capacity in floats (or ints). */
    @Override
    public long floats() { return bytes / Float.BYTES; }

    CUdeviceptr pointer() {
        CUdeviceptr ptr = handle.get();
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
        TRANSFERS.hostToDevice((long) n * Float.BYTES);
    }

    /** Device ← host: the first {@code n} ints of {@code src}. */
    public void copyFrom(int[] src, int n) {
        check("DeviceBuffer.copyFrom(int[])", n, src.length, Integer.BYTES);
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyHtoD(pointer(), Pointer.to(src), (long) n * Integer.BYTES);
        TRANSFERS.hostToDevice((long) n * Integer.BYTES);
    }

    /** Host ← device: the first {@code n} floats into {@code dst}. */
    public void copyTo(float[] dst, int n) {
        check("DeviceBuffer.copyTo(float[])", n, dst.length, Float.BYTES);
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyDtoH(Pointer.to(dst), pointer(), (long) n * Float.BYTES);
        TRANSFERS.deviceToHost((long) n * Float.BYTES);
    }

    /** Host ← device: the first {@code n} doubles into {@code dst}. */
    public void copyTo(double[] dst, int n) {
        check("DeviceBuffer.copyTo(double[])", n, dst.length, Double.BYTES);
        if (n == 0) return;
        device.makeCurrent();
        cuMemcpyDtoH(Pointer.to(dst), pointer(), (long) n * Double.BYTES);
        TRANSFERS.deviceToHost((long) n * Double.BYTES);
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

    /** Sets the first {@code n} floats to {@code value}, bit for bit (cuMemsetD32 of its bits). */
    public void fill(long n, float value) {
        if (n < 0 || n * Float.BYTES > bytes) throw new IllegalArgumentException("DeviceBuffer.fill: " + n + " floats > " + bytes + " bytes");
        if (n == 0) return;
        device.makeCurrent();
        cuMemsetD32(pointer(), Float.floatToRawIntBits(value), n);
    }

    /** A new host array with the first {@code n} floats. */
    public float[] toHost(int n) {
        float[] out = new float[n];
        copyTo(out, n);
        return out;
    }

    @Override
    public void close() {
        CUdeviceptr ptr = handle.take();
        if (ptr != null) {
            device.makeCurrent();
            cuMemFree(ptr);
        }
    }
}
