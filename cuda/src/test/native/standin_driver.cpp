// A stand-in libcuda.so.1 for tests on machines without a GPU: the handful of CUDA driver API calls
// that distill4j.cuda makes through JCuda's libJCudaDriver, implemented on host memory, with kernel
// launches running the host-compiled kernels (kernel_table.h, cuda_host_emulation.h).
//
// It checks what a real driver would reject (no current context, zero-byte allocations, copies
// outside an allocation, bad launch shapes, unknown kernel names, an image that is not a fatbin), so
// that mistakes in the Java call sequence fail here rather than first on a GPU. Every other symbol
// libJCudaDriver imports is a generated stub (build-native.sh) returning CUDA_ERROR_NOT_SUPPORTED.
//
// DISTILL4J_STANDIN_DEVICES=0: cuInit fails with CUDA_ERROR_NO_DEVICE (a driver but no GPU).
// DISTILL4J_STANDIN_RECORD=file: append every launch (kernel, shape, argument values, the bytes of
// every allocation an argument points into, before and after) to `file`, for emu_replay.
#include <map>

#include "kernel_table.h"

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
struct CUctx_st { int device; };
struct CUmod_st { int unused; };
typedef CUctx_st* CUcontext;
typedef CUmod_st* CUmodule;
typedef void* CUfunction;
typedef void* CUstream;

enum : CUresult {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_NO_DEVICE = 100,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_IMAGE = 200,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_LAUNCH_FAILED = 719,
    CUDA_ERROR_NOT_SUPPORTED = 801,
};

namespace {

const char* const DEVICE_NAME = "distill4j stand-in (host emulation)";
bool initialized = false;
CUctx_st primaryContext{0};
int primaryRefs = 0;
thread_local CUcontext current = nullptr;
CUmod_st theModule{0};
std::mutex memMutex;
std::map<uintptr_t, size_t> allocations;  // base -> size
FILE* recordFile = nullptr;

// The allocation [base, base + size) containing [p, p + bytes), or allocations.end().
std::map<uintptr_t, size_t>::iterator findAllocation(uintptr_t p, size_t bytes) {
    auto it = allocations.upper_bound(p);
    if (it == allocations.begin()) return allocations.end();
    --it;
    if (p < it->first || p + bytes > it->first + it->second) return allocations.end();
    return it;
}

CUresult checkReady() {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (current == nullptr) return CUDA_ERROR_INVALID_CONTEXT;
    return CUDA_SUCCESS;
}

void complain(const char* what) { fprintf(stderr, "[stand-in libcuda] %s\n", what); }

void writeBytes(const void* p, size_t n) { fwrite(p, 1, n, recordFile); }
void writeU64(uint64_t v) { writeBytes(&v, 8); }

}  // namespace

extern "C" {

CUresult cuInit(unsigned int flags) {
    if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
    // DISTILL4J_STANDIN_DEVICES=0: a driver without a GPU, as on a machine whose GPU is gone
    const char* devices = getenv("DISTILL4J_STANDIN_DEVICES");
    if (devices != nullptr && strcmp(devices, "0") == 0) return CUDA_ERROR_NO_DEVICE;
    initialized = true;
    const char* rec = getenv("DISTILL4J_STANDIN_RECORD");
    if (rec != nullptr && *rec != 0 && recordFile == nullptr) recordFile = fopen(rec, "wb");
    return CUDA_SUCCESS;
}

CUresult cuDriverGetVersion(int* version) {
    if (version == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *version = 12060;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetCount(int* count) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (count == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *count = 1;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE;
    *device = 0;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char* name, int len, CUdevice dev) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (name == nullptr || len <= 0) return CUDA_ERROR_INVALID_VALUE;
    snprintf(name, (size_t)len, "%s", DEVICE_NAME);
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice dev) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (value == nullptr) return CUDA_ERROR_INVALID_VALUE;
    switch (attribute) {
        case 1: *value = 1024; return CUDA_SUCCESS;         // MAX_THREADS_PER_BLOCK
        case 5: *value = 2147483647; return CUDA_SUCCESS;   // MAX_GRID_DIM_X
        case 6: *value = 65535; return CUDA_SUCCESS;        // MAX_GRID_DIM_Y
        case 7: *value = 65535; return CUDA_SUCCESS;        // MAX_GRID_DIM_Z
        case 10: *value = 32; return CUDA_SUCCESS;          // WARP_SIZE
        case 16: *value = 1; return CUDA_SUCCESS;           // MULTIPROCESSOR_COUNT
        case 75: *value = 9; return CUDA_SUCCESS;           // COMPUTE_CAPABILITY_MAJOR
        case 76: *value = 0; return CUDA_SUCCESS;           // COMPUTE_CAPABILITY_MINOR
        default: return CUDA_ERROR_INVALID_VALUE;
    }
}

CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice dev) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    *bytes = (size_t)1 << 30;
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext* ctx, CUdevice dev) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    primaryRefs++;
    *ctx = &primaryContext;
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice dev) {
    if (dev != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (primaryRefs <= 0) return CUDA_ERROR_INVALID_CONTEXT;
    primaryRefs--;
    return CUDA_SUCCESS;
}

CUresult cuCtxCreate_v2(CUcontext* ctx, unsigned int, CUdevice dev) {
    CUresult r = cuDevicePrimaryCtxRetain(ctx, dev);
    if (r == CUDA_SUCCESS) current = *ctx;
    return r;
}

CUresult cuCtxDestroy_v2(CUcontext ctx) {
    if (ctx != &primaryContext) return CUDA_ERROR_INVALID_CONTEXT;
    if (current == ctx) current = nullptr;
    return cuDevicePrimaryCtxRelease_v2(0);
}

CUresult cuCtxSetCurrent(CUcontext ctx) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (ctx != nullptr && ctx != &primaryContext) return CUDA_ERROR_INVALID_CONTEXT;
    current = ctx;
    return CUDA_SUCCESS;
}

CUresult cuCtxGetCurrent(CUcontext* ctx) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    *ctx = current;
    return CUDA_SUCCESS;
}

CUresult cuCtxSynchronize() { return checkReady(); }  // launches run synchronously

CUresult cuStreamSynchronize(CUstream) { return checkReady(); }

CUresult cuModuleLoadData(CUmodule* module, const void* image) {
    if (CUresult r = checkReady()) return r;
    if (module == nullptr || image == nullptr) return CUDA_ERROR_INVALID_VALUE;
    // distill4j ships an nvcc fatbin: its header starts with the magic 0xBA55ED50
    uint32_t magic;
    memcpy(&magic, image, 4);
    if (magic != 0xBA55ED50u) {
        complain("cuModuleLoadData: the image is not a fatbin (magic 0xBA55ED50 expected)");
        return CUDA_ERROR_INVALID_IMAGE;
    }
    *module = &theModule;
    return CUDA_SUCCESS;
}

CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int, void*, void**) {
    return cuModuleLoadData(module, image);
}

CUresult cuModuleUnload(CUmodule module) {
    if (module != &theModule) return CUDA_ERROR_INVALID_HANDLE;
    return CUDA_SUCCESS;
}

CUresult cuModuleGetFunction(CUfunction* fn, CUmodule module, const char* name) {
    if (CUresult r = checkReady()) return r;
    if (module != &theModule) return CUDA_ERROR_INVALID_HANDLE;
    const emu::KernelEntry* e = emu::findKernel(name);
    if (e == nullptr) return CUDA_ERROR_NOT_FOUND;
    *fn = const_cast<emu::KernelEntry*>(e);
    return CUDA_SUCCESS;
}

CUresult cuMemAlloc_v2(CUdeviceptr* ptr, size_t bytes) {
    if (CUresult r = checkReady()) return r;
    if (ptr == nullptr || bytes == 0) return CUDA_ERROR_INVALID_VALUE;
    void* p = malloc(bytes);
    if (p == nullptr) return CUDA_ERROR_OUT_OF_MEMORY;
    memset(p, 0xA5, bytes);  // device memory is not zeroed: make reliance on that visible
    std::lock_guard<std::mutex> g(memMutex);
    allocations[(uintptr_t)p] = bytes;
    *ptr = (CUdeviceptr)(uintptr_t)p;
    return CUDA_SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr ptr) {
    if (CUresult r = checkReady()) return r;
    std::lock_guard<std::mutex> g(memMutex);
    auto it = allocations.find((uintptr_t)ptr);
    if (it == allocations.end()) return CUDA_ERROR_INVALID_VALUE;
    free((void*)it->first);
    allocations.erase(it);
    return CUDA_SUCCESS;
}

CUresult cuMemGetInfo_v2(size_t* freeBytes, size_t* totalBytes) {
    if (CUresult r = checkReady()) return r;
    std::lock_guard<std::mutex> g(memMutex);
    size_t used = 0;
    for (auto& a : allocations) used += a.second;
    *totalBytes = (size_t)1 << 30;
    *freeBytes = used > *totalBytes ? 0 : *totalBytes - used;
    return CUDA_SUCCESS;
}

static CUresult checkRange(CUdeviceptr p, size_t bytes, const char* what) {
    std::lock_guard<std::mutex> g(memMutex);
    if (findAllocation((uintptr_t)p, bytes) == allocations.end()) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s: %zu bytes at 0x%llx are not inside one allocation", what, bytes, p);
        complain(msg);
        return CUDA_ERROR_INVALID_VALUE;
    }
    return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t bytes) {
    if (CUresult r = checkReady()) return r;
    if (bytes == 0) return CUDA_SUCCESS;
    if (CUresult r = checkRange(dst, bytes, "cuMemcpyHtoD")) return r;
    memcpy((void*)(uintptr_t)dst, src, bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t bytes) {
    if (CUresult r = checkReady()) return r;
    if (bytes == 0) return CUDA_SUCCESS;
    if (CUresult r = checkRange(src, bytes, "cuMemcpyDtoH")) return r;
    memcpy(dst, (const void*)(uintptr_t)src, bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes) {
    if (CUresult r = checkReady()) return r;
    if (bytes == 0) return CUDA_SUCCESS;
    if (CUresult r = checkRange(dst, bytes, "cuMemcpyDtoD (destination)")) return r;
    if (CUresult r = checkRange(src, bytes, "cuMemcpyDtoD (source)")) return r;
    memmove((void*)(uintptr_t)dst, (const void*)(uintptr_t)src, bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemsetD32_v2(CUdeviceptr dst, unsigned int value, size_t count) {
    if (CUresult r = checkReady()) return r;
    if (count == 0) return CUDA_SUCCESS;
    if (CUresult r = checkRange(dst, count * 4, "cuMemsetD32")) return r;
    uint32_t* p = (uint32_t*)(uintptr_t)dst;
    for (size_t i = 0; i < count; i++) p[i] = value;
    return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(CUfunction f, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                        unsigned int by, unsigned int bz, unsigned int sharedMemBytes, CUstream stream,
                        void** params, void** extra) {
    if (CUresult r = checkReady()) return r;
    const emu::KernelEntry* e = static_cast<const emu::KernelEntry*>(f);
    bool known = false;
    for (const emu::KernelEntry& k : emu::kernelTable()) known |= &k == e;
    if (!known) return CUDA_ERROR_INVALID_HANDLE;
    if (stream != nullptr || extra != nullptr || sharedMemBytes != 0) {
        complain("cuLaunchKernel: streams, 'extra' and dynamic shared memory are not used by distill4j");
        return CUDA_ERROR_NOT_SUPPORTED;
    }
    if (gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535 || bx == 0 || by == 0 || bz == 0 ||
        bx * by * bz > 1024 || bz > 64) {
        char msg[200];
        snprintf(msg, sizeof msg, "cuLaunchKernel %s: invalid launch shape grid (%u,%u,%u) block (%u,%u,%u)",
                 e->name, gx, gy, gz, bx, by, bz);
        complain(msg);
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (params == nullptr && !e->args.empty()) return CUDA_ERROR_INVALID_VALUE;

    // Pointer arguments must be null or point into an allocation; collect those allocations.
    std::vector<std::pair<uintptr_t, size_t>> touched;
    std::vector<long> argAlloc(e->args.size(), -1);
    {
        std::lock_guard<std::mutex> g(memMutex);
        for (size_t i = 0; i < e->args.size(); i++) {
            if (!e->args[i].pointer) continue;
            uintptr_t p = (uintptr_t) * static_cast<CUdeviceptr*>(params[i]);
            if (p == 0) continue;
            auto it = findAllocation(p, 1);
            if (it == allocations.end()) {
                char msg[200];
                snprintf(msg, sizeof msg, "cuLaunchKernel %s: argument %zu (0x%lx) is not device memory", e->name, i,
                         (unsigned long)p);
                complain(msg);
                return CUDA_ERROR_INVALID_VALUE;
            }
            size_t k = 0;
            while (k < touched.size() && touched[k].first != it->first) k++;
            if (k == touched.size()) touched.push_back(*it);
            argAlloc[i] = (long)k;
        }
    }

    if (recordFile != nullptr) {
        // record: name, grid, block, args (kind, value or (allocation, offset)), allocations before
        uint64_t len = strlen(e->name);
        writeU64(len);
        writeBytes(e->name, len);
        unsigned shape[6] = {gx, gy, gz, bx, by, bz};
        writeBytes(shape, sizeof shape);
        writeU64(e->args.size());
        for (size_t i = 0; i < e->args.size(); i++) {
            if (e->args[i].pointer) {
                uintptr_t p = (uintptr_t) * static_cast<CUdeviceptr*>(params[i]);
                writeU64(argAlloc[i] < 0 ? UINT64_MAX : (uint64_t)argAlloc[i]);
                writeU64(argAlloc[i] < 0 ? 0 : p - touched[(size_t)argAlloc[i]].first);
            } else {
                writeU64(UINT64_MAX - 1);
                writeU64(e->args[i].size);
                writeBytes(params[i], e->args[i].size);
            }
        }
        writeU64(touched.size());
        for (auto& a : touched) {
            writeU64(a.second);
            writeBytes((const void*)a.first, a.second);
        }
    }

    try {
        e->launch(*e, dim3(gx, gy, gz), dim3(bx, by, bz), params);
    } catch (const std::exception& ex) {
        complain(ex.what());
        return CUDA_ERROR_LAUNCH_FAILED;
    }

    if (recordFile != nullptr) {
        for (auto& a : touched) writeBytes((const void*)a.first, a.second);
        fflush(recordFile);
    }
    return CUDA_SUCCESS;
}

static const char* errorName(CUresult r) {
    switch (r) {
        case CUDA_SUCCESS: return "CUDA_SUCCESS";
        case CUDA_ERROR_INVALID_VALUE: return "CUDA_ERROR_INVALID_VALUE";
        case CUDA_ERROR_OUT_OF_MEMORY: return "CUDA_ERROR_OUT_OF_MEMORY";
        case CUDA_ERROR_NOT_INITIALIZED: return "CUDA_ERROR_NOT_INITIALIZED";
        case CUDA_ERROR_NO_DEVICE: return "CUDA_ERROR_NO_DEVICE";
        case CUDA_ERROR_INVALID_DEVICE: return "CUDA_ERROR_INVALID_DEVICE";
        case CUDA_ERROR_INVALID_IMAGE: return "CUDA_ERROR_INVALID_IMAGE";
        case CUDA_ERROR_INVALID_CONTEXT: return "CUDA_ERROR_INVALID_CONTEXT";
        case CUDA_ERROR_INVALID_HANDLE: return "CUDA_ERROR_INVALID_HANDLE";
        case CUDA_ERROR_NOT_FOUND: return "CUDA_ERROR_NOT_FOUND";
        case CUDA_ERROR_LAUNCH_FAILED: return "CUDA_ERROR_LAUNCH_FAILED";
        case CUDA_ERROR_NOT_SUPPORTED: return "CUDA_ERROR_NOT_SUPPORTED";
        default: return nullptr;
    }
}

CUresult cuGetErrorName(CUresult r, const char** s) {
    *s = errorName(r);
    return *s == nullptr ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

CUresult cuGetErrorString(CUresult r, const char** s) {
    *s = errorName(r);
    return *s == nullptr ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

}  // extern "C"
