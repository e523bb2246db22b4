// Host emulation of the CUDA built-ins used by src/main/cuda/distill4j_kernels.cu, so that the same
// kernel text compiles with g++ (force-included with -include) and runs on a machine without a GPU.
//
// Model: a launch runs its blocks one after another; the threads of a block run concurrently as
//   - fibers (default): one OS thread, a fiber switches out only at a barrier, so runs are
//     deterministic and cheap; a barrier that not every thread reaches is reported as a deadlock.
//     On x86-64 the switch is a few instructions of our own (callee-saved registers, MXCSR and the
//     x87 control word; no signal-mask system call as in swapcontext), elsewhere ucontext;
//   - OS threads (-DEMU_THREADS): real concurrency, for ThreadSanitizer (a missing __syncthreads shows
//     up as a data race on the shared arrays) and AddressSanitizer.
// __syncthreads is a barrier over the block; each __shfl_*_sync is a barrier over the 32 threads of
// the warp (write own value to one of two slot sets, barrier, read the source lane's: alternating the
// slot sets makes the next barrier the one that protects the reads). __shared__ becomes `static`:
// one copy per kernel, reused by consecutive blocks (launches are serialised by emu::launch).
//
// What this does NOT model: warps running in lock-step without barriers (our kernels never rely on
// it), scheduling across blocks, device float rounding (FMA contraction, expf ulps), memory limits.
#pragma once

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if !defined(EMU_THREADS)
#if defined(__x86_64__) && !defined(EMU_FIBER_UCONTEXT)  // -DEMU_FIBER_UCONTEXT: the portable path
#define EMU_FIBER_ASM 1
// emu_fiber_switch(saveSp, loadSp): push the callee-saved registers and the FP control words, store
// rsp in *saveSp, switch to loadSp, pop the same from there, return into the other fiber.
__asm__(
    ".text\n"
    ".weak emu_fiber_switch\n"
    ".hidden emu_fiber_switch\n"
    ".type emu_fiber_switch,@function\n"
    "emu_fiber_switch:\n"
    "  pushq %rbp\n  pushq %rbx\n  pushq %r12\n  pushq %r13\n  pushq %r14\n  pushq %r15\n"
    "  subq $8, %rsp\n  stmxcsr (%rsp)\n  fnstcw 4(%rsp)\n"
    "  movq %rsp, (%rdi)\n  movq %rsi, %rsp\n"
    "  ldmxcsr (%rsp)\n  fldcw 4(%rsp)\n  addq $8, %rsp\n"
    "  popq %r15\n  popq %r14\n  popq %r13\n  popq %r12\n  popq %rbx\n  popq %rbp\n"
    "  ret\n"
    ".size emu_fiber_switch, .-emu_fiber_switch\n");
extern "C" void emu_fiber_switch(void** saveSp, void* loadSp);
#else
#include <ucontext.h>
#endif
#endif

struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int x_ = 1, unsigned int y_ = 1, unsigned int z_ = 1) : x(x_), y(y_), z(z_) {}
};

namespace emu {

struct EmuError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A barrier for `expected` participants, reusable (generation counter).
struct Barrier {
    int expected = 0;
    int arrived = 0;
    unsigned generation = 0;
#ifdef EMU_THREADS
    std::mutex mu;
    std::condition_variable cv;
#endif
};

struct Block;
struct Launch {
    dim3 grid, block;
    const char* name;
};

struct ThreadCtx {
    dim3 threadIdx;
    dim3 blockIdx;
    int linear = 0;  // linear thread index in the block
    Launch* launch = nullptr;
    Block* blk = nullptr;
    unsigned shuffles = 0;  // shuffles done in this block: picks the slot set
#ifndef EMU_THREADS
#ifdef EMU_FIBER_ASM
    void* sp = nullptr;
#else
    ucontext_t ctx;
#endif
    bool done = false;
    Barrier* waitingOn = nullptr;  // non-null while suspended at a barrier
    unsigned waitGeneration = 0;
#endif
};

struct Warp {
    Barrier barrier;
    uint64_t slot[2][32];
    int lanes = 0;  // threads in this warp (32 except a partial last warp)
};

struct Block {
    Barrier barrier;
    std::vector<Warp> warps;
    int threads = 0;
};

inline thread_local ThreadCtx* cur = nullptr;

#ifndef EMU_THREADS
// ---------------------------------------------------------------- fibers
struct FiberRuntime {
#ifdef EMU_FIBER_ASM
    void* scheduler = nullptr;
#else
    ucontext_t scheduler;
#endif
    std::vector<char*> stacks;
    static constexpr size_t STACK = 256 * 1024;
    const std::function<void()>* body = nullptr;
};
inline FiberRuntime& fibers() {
    static FiberRuntime rt;
    return rt;
}

inline void toScheduler(ThreadCtx* me) {
#ifdef EMU_FIBER_ASM
    emu_fiber_switch(&me->sp, fibers().scheduler);
#else
    swapcontext(&me->ctx, &fibers().scheduler);
#endif
}

inline void fromScheduler(ThreadCtx* th) {
#ifdef EMU_FIBER_ASM
    emu_fiber_switch(&fibers().scheduler, th->sp);
#else
    swapcontext(&fibers().scheduler, &th->ctx);
#endif
}

inline void fiberEntry() {
    fibers().body->operator()();
    cur->done = true;
#ifdef EMU_FIBER_ASM
    toScheduler(cur);  // never resumed
    abort();
#endif
    // ucontext: returning resumes uc_link = the scheduler
}

inline void fiberStart(ThreadCtx& th, char* stack, size_t size) {
#ifdef EMU_FIBER_ASM
    // the frame emu_fiber_switch pops: [MXCSR, x87 CW][r15 r14 r13 r12 rbx rbp][return address]
    uintptr_t top = (reinterpret_cast<uintptr_t>(stack) + size) & ~static_cast<uintptr_t>(15);
    uint64_t* frame = reinterpret_cast<uint64_t*>(top - 16) - 7;  // fiberEntry starts with rsp ≡ 8 (mod 16)
    uint32_t mxcsr;
    uint16_t fpucw;
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(fpucw));
    frame[0] = (uint64_t)mxcsr | ((uint64_t)fpucw << 32);
    for (int i = 1; i <= 6; i++) frame[i] = 0;
    frame[7] = reinterpret_cast<uint64_t>(&fiberEntry);
    th.sp = frame;
#else
    getcontext(&th.ctx);
    th.ctx.uc_stack.ss_sp = stack;
    th.ctx.uc_stack.ss_size = size;
    th.ctx.uc_link = &fibers().scheduler;
    makecontext(&th.ctx, fiberEntry, 0);
#endif
}

inline void barrierWait(Barrier& b) {
    ThreadCtx* me = cur;
    unsigned gen = b.generation;
    if (++b.arrived == b.expected) {
        b.arrived = 0;
        b.generation++;
        return;
    }
    me->waitingOn = &b;
    me->waitGeneration = gen;
    toScheduler(me);
    cur = me;
}

// Runs one block: every thread as a fiber until all finished.
inline void runBlock(std::vector<ThreadCtx>& threads, const std::function<void()>& body) {
    FiberRuntime& rt = fibers();
    rt.body = &body;
    while (rt.stacks.size() < threads.size()) rt.stacks.push_back(static_cast<char*>(malloc(FiberRuntime::STACK)));
    for (size_t t = 0; t < threads.size(); t++) {
        ThreadCtx& th = threads[t];
        th.done = false;
        th.waitingOn = nullptr;
        th.shuffles = 0;
        fiberStart(th, rt.stacks[t], FiberRuntime::STACK);
    }
    size_t remaining = threads.size();
    while (remaining > 0) {
        bool progressed = false;
        for (ThreadCtx& th : threads) {
            if (th.done) continue;
            if (th.waitingOn != nullptr) {
                if (th.waitingOn->generation == th.waitGeneration) continue;  // barrier not complete yet
                th.waitingOn = nullptr;
            }
            cur = &th;
            fromScheduler(&th);
            cur = nullptr;
            progressed = true;
            if (th.done) remaining--;
        }
        if (!progressed) {
            char msg[256];
            snprintf(msg, sizeof msg,
                     "emulated kernel %s deadlocked: %zu of %zu threads wait at a barrier the others never reach",
                     threads[0].launch->name, remaining, threads.size());
            throw EmuError(msg);
        }
    }
}
#else
// ---------------------------------------------------------------- OS threads
inline void barrierWait(Barrier& b) {
    std::unique_lock<std::mutex> lock(b.mu);
    unsigned gen = b.generation;
    if (++b.arrived == b.expected) {
        b.arrived = 0;
        b.generation++;
        b.cv.notify_all();
        return;
    }
    if (!b.cv.wait_for(lock, std::chrono::seconds(60), [&] { return b.generation != gen; })) {
        fprintf(stderr, "emulated kernel %s: barrier timed out (deadlock: not every thread reaches it)\n",
                cur->launch->name);
        abort();
    }
}

// OS threads kept across launches (creating 256 threads per launch dominates under ThreadSanitizer).
// run(n, f) calls f(0..n-1) on workers 0..n-1 and returns when all have returned.
struct WorkerPool {
    std::mutex mu;
    std::condition_variable start, done;
    uint64_t generation = 0;
    int participants = 0, finished = 0, started = 0;
    const std::function<void(int)>* job = nullptr;

    void run(int n, const std::function<void(int)>& f) {
        std::unique_lock<std::mutex> lock(mu);
        while (started < n) {
            int index = started++;
            std::thread([this, index] { work(index); }).detach();
        }
        job = &f;
        participants = n;
        finished = 0;
        generation++;
        start.notify_all();
        done.wait(lock, [&] { return finished == participants; });
        job = nullptr;
    }

    void work(int index) {
        uint64_t seen = 0;
        std::unique_lock<std::mutex> lock(mu);
        for (;;) {
            start.wait(lock, [&] { return generation != seen; });
            seen = generation;
            if (index >= participants) continue;
            const std::function<void(int)>* f = job;
            lock.unlock();
            (*f)(index);
            lock.lock();
            if (++finished == participants) done.notify_all();
        }
    }
};

inline WorkerPool& workers() {
    static WorkerPool* pool = new WorkerPool();  // never destroyed: its threads outlive main
    return *pool;
}
#endif

inline std::mutex& launchMutex() {
    static std::mutex m;
    return m;
}

// Runs `body` (the kernel call with its arguments bound) for every thread of every block.
inline void launch(const char* name, dim3 grid, dim3 block, const std::function<void()>& body) {
    std::lock_guard<std::mutex> guard(launchMutex());
    int nthreads = (int)(block.x * block.y * block.z);
    if (nthreads <= 0 || nthreads > 1024) throw EmuError(std::string("bad block size for ") + name);
    Launch L{grid, block, name};
    Block blk;
    blk.threads = nthreads;
    blk.barrier.expected = nthreads;
    blk.warps = std::vector<Warp>((size_t)(nthreads + 31) / 32);
    for (size_t w = 0; w < blk.warps.size(); w++) {
        blk.warps[w].lanes = std::min(32, nthreads - (int)w * 32);
        blk.warps[w].barrier.expected = blk.warps[w].lanes;
    }
    std::vector<ThreadCtx> threads((size_t)nthreads);
    for (int t = 0; t < nthreads; t++) {
        ThreadCtx& th = threads[(size_t)t];
        th.linear = t;
        th.threadIdx = dim3(t % block.x, (t / block.x) % block.y, t / (block.x * block.y));
        th.launch = &L;
        th.blk = &blk;
    }
    const uint64_t blocks = (uint64_t)grid.x * grid.y * grid.z;
#ifndef EMU_THREADS
    for (uint64_t b = 0; b < blocks; b++) {
        dim3 bi((unsigned)(b % grid.x), (unsigned)((b / grid.x) % grid.y), (unsigned)(b / ((uint64_t)grid.x * grid.y)));
        for (ThreadCtx& th : threads) th.blockIdx = bi;
        runBlock(threads, body);
    }
#else
    workers().run(nthreads, [&](int t) {
        cur = &threads[(size_t)t];
        for (uint64_t b = 0; b < blocks; b++) {
            cur->blockIdx = dim3((unsigned)(b % grid.x), (unsigned)((b / grid.x) % grid.y),
                                 (unsigned)(b / ((uint64_t)grid.x * grid.y)));
            cur->shuffles = 0;
            body();
            barrierWait(blk.barrier);  // the next block reuses the __shared__ arrays
        }
        cur = nullptr;
    });
#endif
}

// ---------------------------------------------------------------- warp shuffles
template <typename T>
inline T shuffleFrom(T v, int srcLane, bool keepOwnIfOutside) {
    static_assert(sizeof(T) <= 8, "shuffle of a type wider than 64 bits");
    ThreadCtx* me = cur;
    Warp& w = me->blk->warps[(size_t)(me->linear / 32)];
    int lane = me->linear % 32;
    uint64_t bits = 0;
    memcpy(&bits, &v, sizeof(T));
    // slot set alternates: a thread writes set s again only two shuffles later, after a barrier that
    // every thread of the warp reaches only once it has read set s
    uint64_t* slot = w.slot[me->shuffles++ & 1];
    slot[lane] = bits;
    barrierWait(w.barrier);
    T r = v;
    if (srcLane >= 0 && srcLane < w.lanes) {
        memcpy(&r, &slot[srcLane], sizeof(T));
    } else if (!keepOwnIfOutside) {
        fprintf(stderr, "emulated kernel %s: __shfl_sync from lane %d outside the warp\n", me->launch->name, srcLane);
        abort();
    }
    return r;
}

inline void checkMask(unsigned mask) {
    ThreadCtx* me = cur;
    int lanes = me->blk->warps[(size_t)(me->linear / 32)].lanes;
    unsigned active = lanes == 32 ? 0xffffffffu : ((1u << lanes) - 1u);
    if (mask != active) {
        fprintf(stderr, "emulated kernel %s: shuffle mask %08x but the warp's active lanes are %08x\n",
                me->launch->name, mask, active);
        abort();
    }
}

}  // namespace emu

// ---------------------------------------------------------------- the CUDA names
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)

#define threadIdx (emu::cur->threadIdx)
#define blockIdx (emu::cur->blockIdx)
#define blockDim (emu::cur->launch->block)
#define gridDim (emu::cur->launch->grid)

inline void __syncthreads() { emu::barrierWait(emu::cur->blk->barrier); }
inline void __syncwarp(unsigned mask = 0xffffffffu) {
    emu::checkMask(mask);
    emu::barrierWait(emu::cur->blk->warps[(size_t)(emu::cur->linear / 32)].barrier);
}

template <typename T>
inline T __shfl_sync(unsigned mask, T v, int srcLane, int width = 32) {
    emu::checkMask(mask);
    int lane = emu::cur->linear % 32;
    return emu::shuffleFrom(v, (lane / width) * width + srcLane % width, false);
}
template <typename T>
inline T __shfl_xor_sync(unsigned mask, T v, int laneMask, int width = 32) {
    emu::checkMask(mask);
    int lane = emu::cur->linear % 32;
    int src = lane ^ laneMask;
    // CUDA: a source outside the thread's segment of `width` lanes returns the thread's own value
    if (src / width != lane / width) src = -1;
    return emu::shuffleFrom(v, src, true);
}
template <typename T>
inline T __shfl_down_sync(unsigned mask, T v, unsigned delta, int width = 32) {
    emu::checkMask(mask);
    int lane = emu::cur->linear % 32;
    int src = lane + (int)delta;
    if (src / width != lane / width) src = -1;
    return emu::shuffleFrom(v, src, true);
}

// Rounded float arithmetic that CUDA never contracts into FMA: plain IEEE operations on the host.
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }

// Atomics: compare-and-swap loops on the bit pattern (correct with fibers and with OS threads).
inline float atomicAdd(float* addr, float v) {
    uint32_t* p = reinterpret_cast<uint32_t*>(addr);
    uint32_t old = __atomic_load_n(p, __ATOMIC_RELAXED), upd;
    do {
        float f;
        memcpy(&f, &old, 4);
        f += v;
        memcpy(&upd, &f, 4);
    } while (!__atomic_compare_exchange_n(p, &old, upd, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
    float r;
    memcpy(&r, &old, 4);
    return r;
}
inline double atomicAdd(double* addr, double v) {
    uint64_t* p = reinterpret_cast<uint64_t*>(addr);
    uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED), upd;
    do {
        double f;
        memcpy(&f, &old, 8);
        f += v;
        memcpy(&upd, &f, 8);
    } while (!__atomic_compare_exchange_n(p, &old, upd, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
    double r;
    memcpy(&r, &old, 8);
    return r;
}
inline int atomicAdd(int* addr, int v) { return __atomic_fetch_add(addr, v, __ATOMIC_ACQ_REL); }
