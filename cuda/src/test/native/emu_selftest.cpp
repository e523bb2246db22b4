// Self-test of cuda_host_emulation.h: the built-ins behave as CUDA documents them (thread indexing,
// __syncthreads ordering, the three shuffles, atomics), and a barrier that not every thread reaches is
// reported instead of hanging. Built and run by EmulationSelfTest (Java) through build-native.sh.
#include "cuda_host_emulation.h"

static int failures = 0;
#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            failures++;                                    \
            fprintf(stderr, "FAILED %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                  \
            fprintf(stderr, "\n");                         \
        }                                                  \
    } while (0)

// ---- kernels under test (written as CUDA would be)

__global__ void indexing(int* out) {
    int t = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
    int b = blockIdx.x + gridDim.x * blockIdx.y;
    out[b * blockDim.x * blockDim.y * blockDim.z + t] = b * 1000 + t;
}

// every thread writes its slot, then reads its neighbour's: wrong without the barrier
__global__ void rotate(const int* in, int* out) {
    __shared__ int s[1024];
    int t = threadIdx.x;
    s[t] = in[blockIdx.x * blockDim.x + t];
    __syncthreads();
    out[blockIdx.x * blockDim.x + t] = s[(t + 1) % blockDim.x];
}

__global__ void shuffles(int* xorOut, int* downOut, int* bcastOut, double* dOut) {
    int t = threadIdx.x;
    int v = t * 3 + 1;
    xorOut[t] = __shfl_xor_sync(0xffffffffu, v, 5);
    downOut[t] = __shfl_down_sync(0xffffffffu, v, 3);
    bcastOut[t] = __shfl_sync(0xffffffffu, v, 7);
    dOut[t] = __shfl_xor_sync(0xffffffffu, (double)t + 0.25, 16);
}

__global__ void atomics(int* counter, float* fsum) {
    atomicAdd(counter, 1);
    atomicAdd(fsum, 0.5f);
}

__global__ void divergentBarrier(int* out) {
    if (threadIdx.x == 0) return;  // thread 0 never reaches the barrier
    __syncthreads();
    out[threadIdx.x] = 1;
}

template <typename F>
static void run(const char* name, dim3 grid, dim3 block, F f) {
    emu::launch(name, grid, block, std::function<void()>(f));
}

int main() {
    {  // indexing, 3-D blocks and 2-D grids
        dim3 grid(3, 2), block(4, 3, 2);
        std::vector<int> out(6 * 24, -1);
        int* p = out.data();
        run("indexing", grid, block, [&] { indexing(p); });
        for (int b = 0; b < 6; b++)
            for (int t = 0; t < 24; t++) CHECK(out[b * 24 + t] == b * 1000 + t, "indexing b=%d t=%d got %d", b, t, out[b * 24 + t]);
    }
    for (int threads : {32, 96, 256, 1024}) {  // barrier ordering across warps and blocks
        std::vector<int> in(2 * threads), out(2 * threads);
        for (int i = 0; i < 2 * threads; i++) in[i] = i * 7;
        const int* ip = in.data();
        int* op = out.data();
        run("rotate", dim3(2), dim3(threads), [&] { rotate(ip, op); });
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < threads; t++)
                CHECK(out[b * threads + t] == in[b * threads + (t + 1) % threads], "rotate %d threads b=%d t=%d", threads, b, t);
    }
    {  // shuffles over two warps
        std::vector<int> x(64), d(64), s(64);
        std::vector<double> dd(64);
        int *xp = x.data(), *dp = d.data(), *sp = s.data();
        double* ddp = dd.data();
        run("shuffles", dim3(1), dim3(64), [&] { shuffles(xp, dp, sp, ddp); });
        for (int t = 0; t < 64; t++) {
            int lane = t % 32, base = t - lane;
            CHECK(x[t] == (base + (lane ^ 5)) * 3 + 1, "shfl_xor t=%d got %d", t, x[t]);
            int src = lane + 3 < 32 ? t + 3 : t;  // out of range: own value
            CHECK(d[t] == src * 3 + 1, "shfl_down t=%d got %d", t, d[t]);
            CHECK(s[t] == (base + 7) * 3 + 1, "shfl_sync t=%d got %d", t, s[t]);
            CHECK(dd[t] == (base + (lane ^ 16)) + 0.25, "shfl_xor double t=%d got %f", t, dd[t]);
        }
    }
    {  // atomics over 5 blocks of 128
        int counter = 0;
        float fsum = 0;
        run("atomics", dim3(5), dim3(128), [&] { atomics(&counter, &fsum); });
        CHECK(counter == 640, "atomicAdd int: %d", counter);
        CHECK(fsum == 320.0f, "atomicAdd float: %f", fsum);
    }
#ifndef EMU_THREADS
    {  // a barrier not reached by every thread is reported (fibers)
        std::vector<int> out(64);
        int* p = out.data();
        bool reported = false;
        try {
            run("divergentBarrier", dim3(1), dim3(64), [&] { divergentBarrier(p); });
        } catch (const emu::EmuError& e) {
            reported = strstr(e.what(), "deadlocked") != nullptr;
        }
        CHECK(reported, "divergent __syncthreads was not reported");
    }
#endif
    if (failures == 0) printf("emu_selftest: all passed\n");
    return failures == 0 ? 0 : 1;
}
