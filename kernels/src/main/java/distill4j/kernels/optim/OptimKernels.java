package distill4j.kernels.optim;

/**
 * The optimizer family: in-place parameter updates. {@link ScalarOptim} is the reference,
 * {@link SimdOptim} the Vector API version.
 */
public interface OptimKernels {

    /**
     * SGD with momentum, PyTorch semantics (dampening d, weight decay wd, optional Nesterov):
     * g' = g + wd·w;  v = μ·v + (1 − d)·g';  w −= lr · (nesterov ? g' + μ·v : v).
     * With μ = 0 the velocity buffer is still updated (v = (1 − d)·g') and may be null only if μ = 0.
     */
    void sgdUpdate(int n, float[] w, float[] g, float[] v, float lr, float momentum, float dampening,
                   float weightDecay, boolean nesterov);

    /**
     * Adam (Kingma &amp; Ba), PyTorch semantics with L2 weight decay: g' = g + wd·w;
     * m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²; w −= lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε).
     * t ≥ 1 is the step number after increment.
     */
    void adamUpdate(int n, float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2,
                    float eps, float weightDecay, long t);

    /**
     * Max-norm constraint (Srivastava et al. / Hinton et al. 2012): w (rows, cols) holds one unit's
     * incoming weights per row (Linear's (out, in) layout); each row with L2 norm above maxNorm is
     * rescaled to norm maxNorm. Rows at or below it are untouched.
     */
    void maxNormRows(float[] w, int rows, int cols, float maxNorm);
}
