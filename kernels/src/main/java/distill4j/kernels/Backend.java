package distill4j.kernels;

import distill4j.kernels.dropout.DropoutKernels;
import distill4j.kernels.elementwise.ElementwiseKernels;
import distill4j.kernels.gemm.GemmKernels;
import distill4j.kernels.optim.OptimKernels;
import distill4j.kernels.softmax.SoftmaxKernels;

/**
 * What a device must provide to the engine: the kernel families of training a ReLU MLP with dropout
 * and a distillation loss, one interface each, in one package each (interface, scalar reference,
 * SIMD version and their tests side by side). Every kernel works on dense, row-major float32 arrays
 * starting at index 0.
 *
 * <p>Implementations: {@link ScalarBackend} (the plain reference and oracle of every test),
 * {@code SimdBackend} (Vector API, threaded), the CUDA backend. All must give the same results within
 * the tolerances named in the tests; dropout masks must be bit-identical (see
 * {@link distill4j.kernels.dropout.Philox}). Argument checks shared by all live in {@link Checks}.
 *
 * <p>Conventions: output arrays may be the same array as an input only where a method says so.
 * Sizes are element counts; a method may assume arrays are at least as long as its sizes say.
 * Kernels never allocate per call on the hot path (implementations may keep scratch buffers).
 */
public interface Backend {

    /** Short name used in logs and by {@code -Ddistill4j.backend=NAME}: "scalar", "simd", "cuda". */
    String name();

    /** Matrix products. */
    GemmKernels gemm();

    /** Softmax, log-softmax and the fused softmax + cross-entropy losses. */
    SoftmaxKernels softmax();

    /** Dropout with the Philox mask. */
    DropoutKernels dropout();

    /** Bias, ReLU, axpy, scale and sums. */
    ElementwiseKernels elementwise();

    /** SGD, Adam and max-norm updates. */
    OptimKernels optim();

    /**
     * The same kernels on memory that stays on this backend's device, for device-resident tensors
     * ({@code Tensor.toDevice}); null (the default) for backends that work on host arrays only.
     */
    default distill4j.kernels.device.DeviceKernels deviceKernels() {
        return null;
    }
}
