package distill4j.bench;

import distill4j.kernels.Backend;
import java.lang.management.ManagementFactory;

/**
 * Bytes this thread allocates per direct-kernel training step ({@link MlpStep}, the 784-1200-1200-10
 * student of {@link TrainStepBench} at batch 128), in blocks of steps, so the warm-up (vectors boxed in
 * code C2 has not compiled yet) shows apart from the steady state:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar distill4j.bench.StepAllocation [BACKEND [BLOCKS [STEPS [API [THREADS]]]]]
 * </pre>
 * BACKEND defaults to simd, BLOCKS to 12, STEPS (per block) to 50, API ({@code [API [THREADS]]} after
 * them) to "kernels" ({@link MlpStep}; "engine" runs {@link EngineStep} in its workspace), THREADS to 1.
 * Counts the calling thread and the SIMD pool's workers (ThreadMXBean.getThreadAllocatedBytes).
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
        String api = args.length > 3 ? args[3] : "kernels";
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        Backend backend = Variants.backend(backendName, threads);
        Runnable step;
        if ("engine".equals(api)) {
            distill4j.kernels.Backends.setDefault(backend);
            EngineStep e = new EngineStep(dims, TrainStepBench.BATCH, TrainStepBench.P_IN, TrainStepBench.P_HIDDEN,
                    TrainStepBench.T, TrainStepBench.ALPHA, TrainStepBench.LR, TrainStepBench.MOMENTUM, 9, data.x(),
                    data.soft(), data.labels());
            step = e::step;
        } else if ("kernels".equals(api)) {
            MlpStep k = new MlpStep(backend, dims, TrainStepBench.BATCH, TrainStepBench.P_IN, TrainStepBench.P_HIDDEN,
                    TrainStepBench.T, TrainStepBench.ALPHA, TrainStepBench.LR, TrainStepBench.MOMENTUM, 9);
            step = () -> k.step(data.x(), data.soft(), data.labels());
        } else {
            throw new IllegalArgumentException("step allocation: API must be kernels or engine, got " + api);
        }
        step.run(); // creates the pool's workers and the workspace's arrays
        java.util.List<Long> ids = new java.util.ArrayList<>();
        ids.add(Thread.currentThread().getId());
        if ("simd".equals(backend.name())) {
            for (Thread t : distill4j.kernels.simd.SimdBackend.workerThreads()) ids.add(t.getId());
        }
        long[] tids = ids.stream().mapToLong(Long::longValue).toArray();
        System.out.println("# " + backend.name() + " via " + api + ", " + threads + " thread(s), Java " + Runtime.version()
                + ", " + steps + " steps per block");
        for (int b = 0; b < blocks; b++) {
            long before = allocated(mx, tids);
            for (int i = 0; i < steps; i++) step.run();
            long after = allocated(mx, tids);
            System.out.printf("steps %5d-%5d: %,d B/step%n", b * steps + 1, (b + 1) * steps, (after - before) / steps);
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean mx, long[] ids) {
        long sum = 0;
        for (long a : mx.getThreadAllocatedBytes(ids)) sum += Math.max(0, a);
        return sum;
    }
}
