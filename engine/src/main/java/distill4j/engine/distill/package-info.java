/**
 * The distillation toolkit: {@link distill4j.engine.distill.Teacher}s and
 * {@link distill4j.engine.distill.Ensemble}s (arithmetic or geometric mean of the members' distributions),
 * {@link distill4j.engine.distill.SoftTargets} of a whole transfer set at temperature T, and
 * {@link distill4j.engine.distill.LayerTransfer} (initialising a student from chosen teacher layers).
 */
package distill4j.engine.distill;
