package distill4j.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * The GPU (device 0) through the JCuda driver API: its primary context, the distill4j kernel module
 * (the fatbin resource {@value #FATBIN}), and device memory ({@link #allocate}).
 *
 * <p>{@link #get()} probes once and caches the answer: without a driver JCuda throws
 * {@link UnsatisfiedLinkError} on first use (and {@link NoClassDefFoundError} after that), with a driver
 * but no device {@code cuInit} fails with CUDA_ERROR_NO_DEVICE; either way every later call throws the
 * same {@link CudaUnavailableException} at once, and the backend chooser falls back to the CPU.
 *
 * <p>Every method makes the context current on the calling thread first, so any thread may use the
 * device; calls are not otherwise synchronised (the {@link CudaBackend} serialises its own).
 */
public final class CudaDevice {
    /** Classpath resource holding sm_90 + sm_80 SASS and compute_75 PTX of src/main/cuda/distill4j_kernels.cu. */
    public static final String FATBIN = "/distill4j/cuda/distill4j_kernels.fatbin";
    /** The PTX in the fatbin targets compute_75: older devices cannot run it. */
    static final int MIN_COMPUTE_CAPABILITY = 75;

    private static CudaDevice instance;
    private static CudaUnavailableException failure;

    private final CUdevice device;
    private final CUcontext context;
    private final CUmodule module;
    private final String name;
    private final int computeCapability;
    private final Map<String, CUfunction> functions = new HashMap<>();

    private CudaDevice(CUdevice device, CUcontext context, CUmodule module, String name, int computeCapability) {
        this.device = device;
        this.context = context;
        this.module = module;
        this.name = name;
        this.computeCapability = computeCapability;
    }

    /** The device, opened on first call; throws {@link CudaUnavailableException} (the cached reason) when none is usable. */
    public static synchronized CudaDevice get() {
        if (instance != null) return instance;
        if (failure != null) throw failure;
        try {
            instance = open();
            return instance;
        } catch (Throwable t) {
            failure = new CudaUnavailableException("CUDA unavailable: " + describe(t), t);
            throw failure;
        }
    }

    /** Whether {@link #get()} succeeds; probes at most once per JVM. */
    public static boolean isAvailable() {
        try {
            get();
            return true;
        } catch (CudaUnavailableException e) {
            return false;
        }
    }

    private static CudaDevice open() throws IOException {
        JCudaDriver.setExceptionsEnabled(true);  // every failing call throws CudaException naming the error
        cuInit(0);
        int[] count = {0};
        cuDeviceGetCount(count);
        if (count[0] == 0) throw new IllegalStateException("the driver reports no CUDA device");
        CUdevice device = new CUdevice();
        cuDeviceGet(device, 0);
        int[] major = {0}, minor = {0};
        cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        int cc = major[0] * 10 + minor[0];
        byte[] nameBytes = new byte[256];
        cuDeviceGetName(nameBytes, nameBytes.length, device);
        String name = cString(nameBytes);
        if (cc < MIN_COMPUTE_CAPABILITY) {
            throw new IllegalStateException(name + " has compute capability " + major[0] + "." + minor[0]
                    + "; the distill4j kernels need 7.5 or newer");
        }
        CUcontext context = new CUcontext();
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        CUmodule module = new CUmodule();
        cuModuleLoadData(module, readFatbin());
        return new CudaDevice(device, context, module, name, cc);
    }

    static byte[] readFatbin() throws IOException {
        try (InputStream in = CudaDevice.class.getResourceAsStream(FATBIN)) {
            if (in == null) throw new IOException("resource " + FATBIN + " is missing from the class path");
            return in.readAllBytes();
        }
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** One line: the throwable's kind and the first line of its message. */
    private static String describe(Throwable t) {
        String kind = t instanceof UnsatisfiedLinkError ? "no CUDA driver (libcuda.so.1) could be loaded"
                : t instanceof NoClassDefFoundError ? "JCuda could not be initialised"
                : t.getClass().getSimpleName();
        String msg = t.getMessage() == null ? "" : t.getMessage().strip();
        int nl = msg.indexOf('\n');
        if (nl >= 0) msg = msg.substring(0, nl).strip();
        return msg.isEmpty() ? kind : kind + ": " + msg;
    }

    /** Makes this device's context current on the calling thread. */
    public void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    /** Waits for all launched work to finish (kernel errors surface here at the latest). */
    public void synchronize() {
        makeCurrent();
        cuCtxSynchronize();
    }

    /** Device memory of {@code bytes} bytes (at least 1), not initialised. */
    public DeviceBuffer allocate(long bytes) {
        makeCurrent();
        DeviceBuffer.freeUnreachable();
        return new DeviceBuffer(this, Math.max(1, bytes));
    }

    /** Device memory for {@code n} floats. */
    public DeviceBuffer allocateFloats(long n) {
        return allocate(n * Float.BYTES);
    }

    /** A kernel of the distill4j module by its extern "C" name. */
    public synchronized CUfunction function(String kernel) {
        return functions.computeIfAbsent(kernel, k -> {
            makeCurrent();
            CUfunction f = new CUfunction();
            cuModuleGetFunction(f, module, k);
            return f;
        });
    }

    public String name() { return name; }

    /** Compute capability as major·10 + minor (90 for Hopper). */
    public int computeCapability() { return computeCapability; }

    CUdevice device() { return device; }

    @Override public String toString() {
        return "CudaDevice[" + name + ", sm_" + computeCapability + "]";
    }
}
