package distill4j.engine;

import distill4j.engine.io.NamedArray;
import distill4j.engine.io.Safetensors;
import distill4j.engine.io.SafetensorsFormatException;
import distill4j.engine.io.StateDict;
import distill4j.engine.nn.Dropout;
import distill4j.engine.nn.Module;
import distill4j.engine.nn.Parameter;
import distill4j.engine.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to resume training, as one {@link StateDict} (a safetensors file):
 * <ul>
 *   <li>the model's parameters under their own names ("0.weight", as PyTorch's state_dict names them,
 *       so PyTorch can load them directly);</li>
 *   <li>the optimizer's state arrays under "optimizer.NAME" (1-D);</li>
 *   <li>each Dropout layer's random state as the integers "dropout.K.seed" and "dropout.K.step" (K
 *       counts Dropout layers in {@link Module#modules()} order), so the masks continue where they stopped;</li>
 *   <li>the caller's counters (epoch, ...) as integers "counter.NAME".</li>
 * </ul>
 * The optimizer may be null (a model only).
 *
 * <p>Integrity. {@link #save} records the SHA-256 of the tensor data in the file, and {@link #load}
 * refuses a file whose tensor data no longer matches it (a {@link SafetensorsFormatException} naming the
 * file; the model and optimizer are left untouched, the file is not modified): a flipped byte cannot
 * silently change a resumed run or a finished model. A checkpoint without a checksum (written before
 * distill4j recorded them, or by other tools) is <em>accepted</em>, unchecked, since older runs exist;
 * it gets one the next time it is saved. {@link #hasChecksum} tells the two apart for a caller that
 * wants to warn.
 *
 * <p>Strict fit. {@link #restore} checks the whole state against the model and optimizer before changing
 * anything: a missing, unexpected, wrongly shaped or wrongly typed entry is an
 * {@link IllegalArgumentException} that names the file, every such key and both shapes, e.g.
 * {@code run/ckpt.safetensors: does not fit the model and optimizer: "0.weight" has shape [13, 5] in the
 * file but [12, 5] in the model}. On error nothing was loaded.
 */
public final class Checkpoint {
    private static final String OPTIMIZER = "optimizer.";
    private static final String COUNTER = "counter.";
    private static final String DROPOUT = "dropout.";
    /** At most this many problems are listed in one mismatch message. */
    private static final int MAX_LISTED = 12;

    private Checkpoint() {}

    /** A snapshot (copies) of the model, optimizer and counters. */
    public static StateDict capture(Module model, Optimizer optimizer, Map<String, Long> counters) {
        StateDict.Builder b = StateDict.builder();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            b.array(e.getKey(), e.getValue().shape(), e.getValue().toArray());
        }
        if (optimizer != null) {
            for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
                b.array(OPTIMIZER + e.getKey(), new int[] {e.getValue().length}, e.getValue().clone());
            }
        }
        List<Dropout> dropouts = dropouts(model);
        for (int k = 0; k < dropouts.size(); k++) {
            b.scalar(DROPOUT + k + ".seed", dropouts.get(k).seed());
            b.scalar(DROPOUT + k + ".step", dropouts.get(k).step());
        }
        for (Map.Entry<String, Long> e : counters.entrySet()) b.scalar(COUNTER + e.getKey(), e.getValue());
        return b.build();
    }

    /** {@link #restore(StateDict, Module, Optimizer, String)} for a state from no particular file ("checkpoint"). */
    public static Map<String, Long> restore(StateDict state, Module model, Optimizer optimizer) {
        return restore(state, model, optimizer, "checkpoint");
    }

    /**
     * Loads a snapshot into the model and optimizer; returns the counters. Strict: every parameter and
     * optimizer buffer must be present with its shape, and nothing else may be (see the class comment).
     * All checks run before anything is changed.
     *
     * @param source the file the state was read from, named in error messages
     * @throws IllegalArgumentException naming {@code source}, the keys and the shapes, when the state does
     *     not fit; the model and optimizer are then unchanged
     */
    public static Map<String, Long> restore(StateDict state, Module model, Optimizer optimizer, String source) {
        List<String> problems = new ArrayList<>();

        // Parameters: the model's names against the file's arrays (and integers, for a wrong dtype).
        Map<String, Parameter> params = model.namedParameters();
        Map<String, Tensor> paramState = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String k = e.getKey();
            int[] want = e.getValue().shape();
            NamedArray a = state.arrays().get(k);
            if (a != null) {
                if (!Arrays.equals(a.shape(), want)) {
                    problems.add(quote(k) + " has shape " + Arrays.toString(a.shape()) + " in the file but "
                            + Arrays.toString(want) + " in the model");
                } else {
                    paramState.put(k, Tensor.of(a.data(), a.shape()));
                }
            } else if (state.scalars().containsKey(k)) {
                problems.add(quote(k) + " is an integer (I64, shape []) in the file but a float32 parameter of shape "
                        + Arrays.toString(want) + " in the model");
            } else {
                problems.add("missing " + quote(k) + ": the model has a parameter of shape " + Arrays.toString(want)
                        + ", the file has no such entry");
            }
        }

        // Optimizer buffers: "optimizer.NAME" arrays against optimizer.state().
        Map<String, float[]> optimState = new LinkedHashMap<>();
        Map<String, float[]> mine = optimizer == null ? Map.of() : optimizer.state();
        for (Map.Entry<String, float[]> e : mine.entrySet()) {
            String k = OPTIMIZER + e.getKey();
            int n = e.getValue().length;
            NamedArray a = state.arrays().get(k);
            if (a == null) {
                problems.add("missing " + quote(k) + ": the optimizer has a buffer of shape [" + n + "], the file has "
                        + (state.scalars().containsKey(k) ? "an integer (I64) there" : "no such entry"));
            } else if (a.data().length != n) {
                problems.add(quote(k) + " has shape " + Arrays.toString(a.shape()) + " in the file but [" + n
                        + "] in the optimizer");
            } else {
                optimState.put(e.getKey(), a.data());
            }
        }
        for (Map.Entry<String, NamedArray> e : state.arrays().entrySet()) {
            String k = e.getKey();
            if (params.containsKey(k)) continue;
            boolean optim = k.startsWith(OPTIMIZER);
            if (optim && mine.containsKey(k.substring(OPTIMIZER.length()))) continue;
            problems.add("unexpected " + quote(k) + " of shape " + Arrays.toString(e.getValue().shape()) + " in the file: "
                    + (!optim ? "the model has no such parameter"
                            : optimizer == null ? "it is optimizer state, but no optimizer was given"
                            : "the optimizer (" + optimizer.getClass().getSimpleName() + ") has no such buffer"));
        }

        // Integers: counters, and each Dropout layer's seed and step.
        List<Dropout> dropouts = dropouts(model);
        Long[] seeds = new Long[dropouts.size()];
        Long[] steps = new Long[dropouts.size()];
        Map<String, Long> counters = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : state.scalars().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(COUNTER)) {
                counters.put(k.substring(COUNTER.length()), e.getValue());
            } else if (k.startsWith(DROPOUT)) {
                String[] parts = k.split("\\.", -1);
                int idx = parts.length == 3 && parts[1].matches("[0-9]{1,9}") ? Integer.parseInt(parts[1]) : -1;
                if (idx < 0 || idx >= dropouts.size() || !(parts[2].equals("seed") || parts[2].equals("step"))) {
                    problems.add("unexpected " + quote(k) + " in the file: the model has " + dropouts.size()
                            + " Dropout layers, whose state is \"dropout.K.seed\" and \"dropout.K.step\", K = 0.."
                            + (dropouts.size() - 1));
                } else if (parts[2].equals("seed")) {
                    seeds[idx] = e.getValue();
                } else {
                    steps[idx] = e.getValue();
                }
            } else if (!params.containsKey(k)) { // a parameter stored as an integer is reported above
                problems.add("unexpected integer " + quote(k) + " in the file: a checkpoint's integers are"
                        + " \"counter.NAME\" and \"dropout.K.seed\" / \"dropout.K.step\"");
            }
        }
        for (int k = 0; k < dropouts.size(); k++) {
            if (seeds[k] == null) problems.add("missing " + quote(DROPOUT + k + ".seed") + ": the model's Dropout layer " + k
                    + " needs its random state (the file has " + dropoutLayersIn(state) + " Dropout layers' state)");
            if (steps[k] == null) problems.add("missing " + quote(DROPOUT + k + ".step") + ": the model's Dropout layer " + k
                    + " needs its random state (the file has " + dropoutLayersIn(state) + " Dropout layers' state)");
        }

        if (!problems.isEmpty()) {
            StringBuilder m = new StringBuilder(source).append(": does not fit the model")
                    .append(optimizer != null ? " and optimizer" : "").append(": ");
            for (int i = 0; i < Math.min(problems.size(), MAX_LISTED); i++) {
                m.append(i > 0 ? "; " : "").append(problems.get(i));
            }
            if (problems.size() > MAX_LISTED) m.append("; and ").append(problems.size() - MAX_LISTED).append(" more");
            m.append(". Nothing was loaded. Is it the checkpoint of this model (its sizes, layers and optimizer)?");
            throw new IllegalArgumentException(m.toString());
        }

        model.loadStateDict(paramState);
        if (optimizer != null) optimizer.loadState(optimState);
        for (int k = 0; k < dropouts.size(); k++) {
            dropouts.get(k).setSeed(seeds[k]);
            dropouts.get(k).setStep(steps[k]);
        }
        return counters;
    }

    private static String quote(String key) {
        return "\"" + key + "\"";
    }

    private static long dropoutLayersIn(StateDict state) {
        return state.scalars().keySet().stream().filter(k -> k.startsWith(DROPOUT) && k.endsWith(".step")).count();
    }

    /**
     * Saves {@link #capture} to {@code file} atomically, with the checksum of its tensor data (see
     * {@link StateDict#write}). Errors name the file.
     */
    public static void save(Path file, Module model, Optimizer optimizer, Map<String, Long> counters) throws IOException {
        capture(model, optimizer, counters).write(file);
    }

    /**
     * Reads {@code file}, verifies its checksum (a file without one is accepted, see the class comment) and
     * {@link #restore restores} it into the model and optimizer; returns the counters.
     *
     * @throws SafetensorsFormatException naming the file, when it is corrupt, truncated, or its tensor data
     *     does not match its checksum (changed after it was written)
     * @throws IOException naming the file and the reason, when it cannot be read
     * @throws IllegalArgumentException naming the file, the keys and their shapes, when it does not fit the
     *     model or optimizer
     */
    public static Map<String, Long> load(Path file, Module model, Optimizer optimizer) throws IOException {
        return restore(StateDict.read(file), model, optimizer, file.toString());
    }

    /**
     * Whether {@code file} records the checksum of its tensor data (all files {@link #save} writes do);
     * this does not verify it ({@link #load} does). Reads the whole file.
     */
    public static boolean hasChecksum(Path file) throws IOException {
        return Safetensors.read(file).metadata().containsKey(Safetensors.CHECKSUM_KEY);
    }

    /**
     * Deletes the temporary files that a writer killed mid-save left under {@code dir}, recursively, and
     * nothing else; returns them. Only files named as the engine names its temporaries are deleted,
     * {@code .NAME.distill4j-HHHHHHHHHHHHHHHH.tmp} (and, from earlier versions, {@code .NAME.safetensors.H….tmp});
     * see {@link Safetensors#removeStaleTemporaries}. Call it when no other process is writing under {@code dir}.
     */
    public static List<Path> removeStaleTemporaries(Path dir) throws IOException {
        return Safetensors.removeStaleTemporaries(dir);
    }

    private static List<Dropout> dropouts(Module model) {
        List<Dropout> out = new ArrayList<>();
        for (Module m : model.modules()) if (m instanceof Dropout) out.add((Dropout) m);
        return out;
    }
}
