package distill4j.engine;

import distill4j.engine.io.NamedArray;
import distill4j.engine.io.StateDict;
import distill4j.engine.nn.Dropout;
import distill4j.engine.nn.Module;
import distill4j.engine.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 */
public final class Checkpoint {
    private static final String OPTIMIZER = "optimizer.";
    private static final String COUNTER = "counter.";
    private static final String DROPOUT = "dropout.";

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

    /** Loads a snapshot into the model and optimizer (strict on names and shapes); returns the counters. */
    public static Map<String, Long> restore(StateDict state, Module model, Optimizer optimizer) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        Map<String, float[]> optim = new LinkedHashMap<>();
        for (Map.Entry<String, NamedArray> e : state.arrays().entrySet()) {
            NamedArray a = e.getValue();
            if (e.getKey().startsWith(OPTIMIZER)) optim.put(e.getKey().substring(OPTIMIZER.length()), a.data());
            else params.put(e.getKey(), Tensor.of(a.data(), a.shape()));
        }
        model.loadStateDict(params);
        if (optimizer != null) optimizer.loadState(optim);
        else if (!optim.isEmpty()) throw new IllegalArgumentException("checkpoint: holds optimizer state but no optimizer was given");
        List<Dropout> dropouts = dropouts(model);
        Map<String, Long> counters = new LinkedHashMap<>();
        int seenDropouts = 0;
        for (Map.Entry<String, Long> e : state.scalars().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(COUNTER)) {
                counters.put(k.substring(COUNTER.length()), e.getValue());
            } else if (k.startsWith(DROPOUT)) {
                String[] parts = k.split("\\.");
                int idx = parts.length == 3 ? Integer.parseInt(parts[1]) : -1;
                if (idx < 0 || idx >= dropouts.size()) {
                    throw new IllegalArgumentException("checkpoint: '" + k + "' but the model has " + dropouts.size() + " Dropout layers");
                }
                if (parts[2].equals("seed")) {
                    dropouts.get(idx).setSeed(e.getValue());
                } else if (parts[2].equals("step")) {
                    dropouts.get(idx).setStep(e.getValue());
                    seenDropouts++;
                } else {
                    throw new IllegalArgumentException("checkpoint: unknown entry '" + k + "'");
                }
            }
        }
        if (seenDropouts != dropouts.size()) {
            throw new IllegalArgumentException("checkpoint: holds " + seenDropouts + " dropout step counters, the model has "
                    + dropouts.size() + " Dropout layers");
        }
        return counters;
    }

    public static void save(Path file, Module model, Optimizer optimizer, Map<String, Long> counters) throws IOException {
        capture(model, optimizer, counters).write(file);
    }

    public static Map<String, Long> load(Path file, Module model, Optimizer optimizer) throws IOException {
        return restore(StateDict.read(file), model, optimizer);
    }

    private static List<Dropout> dropouts(Module model) {
        List<Dropout> out = new ArrayList<>();
        for (Module m : model.modules()) if (m instanceof Dropout) out.add((Dropout) m);
        return out;
    }
}
