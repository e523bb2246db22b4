package distill4j.engine.optim;

/** A projection applied to parameters after every optimizer step. */
@FunctionalInterface
public interface Constraint {
    void apply();
}
