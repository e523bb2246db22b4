/**
 * Optimizers ({@link distill4j.engine.optim.SGD} with momentum, dampening, Nesterov and weight decay;
 * {@link distill4j.engine.optim.Adam}), constraints applied after each step
 * ({@link distill4j.engine.optim.MaxNorm}) and per-epoch {@link distill4j.engine.optim.Schedule}s.
 * Optimizer state is exposed as named float arrays for checkpoints.
 */
package distill4j.engine.optim;
