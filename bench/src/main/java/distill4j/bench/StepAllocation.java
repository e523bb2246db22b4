package distill4j.bench;

import distill4j.kernels.Backend;
import java.lang.management.ManagementFactory;

/**
 * Bytes this thread allocates per direct-kernel training step ({@link MlpStep}, the 784-1200-1200-10
 * student of {@link TrainStepBench} at batch 128), in blocks of steps, so the warm-up (vectors boxed in
 * code C2 has not compiled yet) shows apart from the steady state:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar distill4j.bench.StepAllocation [BACKEND [BLOCKS [STEPS]]]
 * </pre>
 * BACKEND defaults to simd, BLOCKS to 12, STEPS (per block) to 50; one thread. Counts only the calling
 * thread (ThreadMXBean.getThreadAllocatedBytes), which runs every kernel at one thread.
 */
public final class StepAllocation {
    private StepAllocation() {}

    public static void main(String[] args) {
        String backendName = args.length > 0 ? args[0] : "simd";
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        if (blocks < 1 || steps < 1) throw new IllegalArgumentException("step allocation: BLOCKS and STEPS must be ≥ 1");
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("step allocation: this JVM cannot count a thread's allocated bytes");
        }
        int[] dims = TrainStepBench.DIMS;
        MlpStep.Batch data = MlpStep.Batch.random(dims, TrainStepBench.BATCH, TrainStepBench.T, 4, 5);
        Backend backend = Variants.backend(backendName, 1);
        MlpStep step = new MlpStep(backend, dims, TrainStepBench.BATCH, TrainStepBench.P_IN, TrainStepBench.P_HIDDEN,
                TrainStepBench.T, TrainStepBench.ALPHA, TrainStepBench.LR, TrainStepBench.MOMENTUM, 9);
        long thread = Thread.currentThread().getId();
        System.out.println("# " + backend.name() + ", Java " + Runtime.version() + ", " + steps + " steps per block");
        for (int b = 0; b < blocks; b++) {
            long before = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < steps; i++) step.step(data.x(), data.soft(), data.labels());
            long after = mx.getThreadAllocatedBytes(thread);
            System.out.printf("steps %5d-%5d: %,d B/step%n", b * steps + 1, (b + 1) * steps, (after - before) / steps);
        }
    }
}
