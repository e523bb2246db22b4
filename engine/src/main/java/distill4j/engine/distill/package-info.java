/**
 * The distillation toolkit: {@link distill4j.engine.distill.Teacher}s and
 * {@link distill4j.engine.distill.Ensemble}s (arithmetic or geometric mean of the members' distributions),
 * {@link distill4j.engine.distill.SoftTargets} of a whole transfer set at temperature T, and
 * {@link distill4j.engine.distill.LayerTransfer} (initialising a student from chosen teacher layers).
 * Specialists for confusable classes (Hinton, Vinyals &amp; Dean 2015, §5):
 * {@link distill4j.engine.distill.ConfusableClasses} (class sets from the generalist's prediction
 * covariance), {@link distill4j.engine.distill.Specialist} (class set + dustbin, training sample, dustbin
 * correction, initialisation) and {@link distill4j.engine.distill.SpecialistCombination} (eq. 5 at test time).
 */
package distill4j.engine.distill;
