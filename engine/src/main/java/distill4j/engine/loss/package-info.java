/**
 * Losses with explicit {@link distill4j.engine.loss.Reduction}s: {@link distill4j.engine.loss.Losses}
 * (cross-entropy, soft-target cross-entropy, KL divergence, logit matching, cosine embedding) and
 * {@link distill4j.engine.loss.DistillationLoss}, Hinton et al.'s α·T²·CE(p, q) + (1 − α)·CE(y, softmax(z)).
 */
package distill4j.engine.loss;
