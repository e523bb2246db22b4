package distill4j.spark;

import distill4j.examples.data.Examples;
import java.io.IOException;
import java.io.Serializable;

/**
 * A data set that every executor can open by itself: what a Spark task receives instead of the data (a
 * few strings, not millions of frames). The executors read it from storage they all see (the corpus
 * directory), so it must open to the same examples, in the same order, everywhere.
 */
public interface TransferSet extends Serializable {
    /** Opens the examples (on an executor, or on the driver to name the cache files). */
    Examples open() throws IOException;
}
