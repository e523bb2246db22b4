// The host-compiled kernels and a table from their extern "C" names to launchers that unpack a
// cuLaunchKernel-style argument array (void** params: params[i] points at argument i's value).
// Shared by the stand-in libcuda.so.1 (standin_driver.cpp) and the replay tool (emu_replay.cpp).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "distill4j_kernels.cu"  // (and the family files it includes) compiled with -include cuda_host_emulation.h

namespace emu {

// How a launcher sees each argument: a device pointer (8 bytes, a host address here) or a value.
struct ArgInfo {
    bool pointer;
    size_t size;
};

struct KernelEntry {
    const char* name;
    std::vector<ArgInfo> args;
    void (*launch)(const KernelEntry&, dim3 grid, dim3 block, void** params);
    void* fn;
};

template <typename... Args, size_t... I>
inline void callWith(void (*f)(Args...), void** params, std::index_sequence<I...>) {
    f(*static_cast<std::remove_cv_t<Args>*>(params[I])...);
}

template <typename... Args>
inline KernelEntry entry(const char* name, void (*f)(Args...)) {
    KernelEntry e;
    e.name = name;
    e.args = {ArgInfo{std::is_pointer<Args>::value, sizeof(Args)}...};
    e.fn = reinterpret_cast<void*>(f);
    e.launch = [](const KernelEntry& self, dim3 grid, dim3 block, void** params) {
        auto fn = reinterpret_cast<void (*)(Args...)>(self.fn);
        launch(self.name, grid, block, [&] { callWith(fn, params, std::index_sequence_for<Args...>{}); });
    };
    return e;
}

#define EMU_KERNEL(k) emu::entry(#k, &k)

inline const std::vector<KernelEntry>& kernelTable() {
    static const std::vector<KernelEntry> table = {
        EMU_KERNEL(gemm_f32_nn),
        EMU_KERNEL(gemm_f32_nt),
        EMU_KERNEL(gemm_f32_tn),
        EMU_KERNEL(dropout_forward),
        EMU_KERNEL(dropout_backward),
        EMU_KERNEL(softmax_forward),
        EMU_KERNEL(softmax_backward),
        EMU_KERNEL(log_softmax_forward),
        EMU_KERNEL(log_softmax_backward),
        EMU_KERNEL(softmax_xent_hard),
        EMU_KERNEL(softmax_xent_soft),
        EMU_KERNEL(bias_add_forward),
        EMU_KERNEL(bias_backward),
        EMU_KERNEL(relu_forward),
        EMU_KERNEL(relu_backward),
        EMU_KERNEL(axpy_f32),
        EMU_KERNEL(scale_f32),
        EMU_KERNEL(sum_partial_f32),
        EMU_KERNEL(sgd_update),
        EMU_KERNEL(adam_update),
        EMU_KERNEL(max_norm_rows),
    };
    return table;
}

inline const KernelEntry* findKernel(const char* name) {
    for (const KernelEntry& e : kernelTable()) {
        if (strcmp(e.name, name) == 0) return &e;
    }
    return nullptr;
}

}  // namespace emu
