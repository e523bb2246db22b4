package distill4j.cuda;

/** The CUDA backend cannot run here (no driver, no device, a device too old); the message says which. */
public final class CudaUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
