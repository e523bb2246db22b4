// distill4j CUDA kernels: everything a training step of a ReLU MLP with dropout and a distillation
// loss needs, one file per kernel family (gemm.cu, dropout.cu, softmax.cu, elementwise.cu, optim.cu,
// beside the shared common.cuh), compiled as this one translation unit: one module, one fatbin.
//
// Built twice from this same text:
//   - by nvcc into ONE fatbin (sm_90 + sm_80 SASS, compute_75 PTX) shipped as a classpath resource and
//     loaded by distill4j.cuda.CudaDevice through the JCuda driver API (see ../../../build-fatbin.sh);
//   - by g++ with src/test/native/cuda_host_emulation.h force-included (-include), which maps
//     threadIdx/blockIdx/__syncthreads/__shfl_*_sync/atomics onto host threads or fibers, so the
//     tests run every kernel on a machine without a GPU (see ../../../README.md).
// So: no dynamic shared memory, no inline PTX, no CUDA runtime API; only what both sides understand.
//
// Every kernel is extern "C" (stable names for cuModuleGetFunction). All arrays are dense row-major
// float32 unless named otherwise. Launch configurations live in distill4j.cuda.CudaLaunch (Java); the
// block sizes in the family files must match it.

#include "common.cuh"
#include "gemm.cu"
#include "dropout.cu"
#include "softmax.cu"
#include "elementwise.cu"
#include "optim.cu"
