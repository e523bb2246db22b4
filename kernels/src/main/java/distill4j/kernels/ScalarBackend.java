package distill4j.kernels;

import distill4j.kernels.dropout.DropoutKernels;
import distill4j.kernels.dropout.ScalarDropout;
import distill4j.kernels.elementwise.ElementwiseKernels;
import distill4j.kernels.elementwise.ScalarElementwise;
import distill4j.kernels.gemm.GemmKernels;
import distill4j.kernels.gemm.ScalarGemm;
import distill4j.kernels.optim.OptimKernels;
import distill4j.kernels.optim.ScalarOptim;
import distill4j.kernels.softmax.ScalarSoftmax;
import distill4j.kernels.softmax.SoftmaxKernels;

/**
 * The reference backend: the scalar version of every family, plain, readable Java. It is the fallback
 * when no faster backend can run, and the oracle every faster backend is tested against.
 */
public final class ScalarBackend implements Backend {
    private final GemmKernels gemm = new ScalarGemm();
    private final SoftmaxKernels softmax = new ScalarSoftmax();
    private final DropoutKernels dropout = new ScalarDropout();
    private final ElementwiseKernels elementwise = new ScalarElementwise();
    private final OptimKernels optim = new ScalarOptim();

    @Override public String name() { return "scalar"; }
    @Override public GemmKernels gemm() { return gemm; }
    @Override public SoftmaxKernels softmax() { return softmax; }
    @Override public DropoutKernels dropout() { return dropout; }
    @Override public ElementwiseKernels elementwise() { return elementwise; }
    @Override public OptimKernels optim() { return optim; }
}
