/**
 * The tensor and reverse-mode autograd engine: {@link distill4j.engine.Tensor} (float32, row-major,
 * a node of the graph), {@link distill4j.engine.Ops} (every differentiable operation, forward and
 * backward side by side, on the kernels of {@link distill4j.kernels.Backends#get()}),
 * {@link distill4j.engine.Grad} (the no-grad scope), {@link distill4j.engine.Workspace} (buffer reuse
 * across training steps) and {@link distill4j.engine.Batches} (mini-batches).
 * Sub-packages: {@code nn} (modules), {@code optim} (optimizers, constraints, schedules), {@code loss}
 * (cross-entropy, distillation, KL, logit matching, cosine), {@code distill} (teachers, ensembles,
 * soft targets, layer transfer), {@code io} (safetensors).
 */
package distill4j.engine;
