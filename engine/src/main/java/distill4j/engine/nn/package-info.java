/**
 * Layers and networks: {@link distill4j.engine.nn.Module} (parameters with PyTorch-style names,
 * train/eval, state dicts), {@link distill4j.engine.nn.Linear}, {@link distill4j.engine.nn.ReLU},
 * {@link distill4j.engine.nn.Dropout} (Philox masks, seeded and stepped), {@link distill4j.engine.nn.Sequential},
 * the {@link distill4j.engine.nn.MLP} builder and seeded initialisers {@link distill4j.engine.nn.Init}.
 */
package distill4j.engine.nn;
