package distill4j.engine.nn;

import distill4j.engine.Grad;
import distill4j.engine.Shapes;
import distill4j.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A layer or a network: a function of a tensor with parameters and children.
 *
 * <p>Parameter names follow PyTorch: a module's own parameters by their name ("weight", "bias"), a
 * child's prefixed by the child's name ("0.weight" in a {@link Sequential}), so a state dict reads the
 * same in both. {@link #train()} / {@link #eval()} switch the mode of the whole tree (dropout is active
 * only in training mode).
 */
public abstract class Module {
    private boolean training = true;

    /** Forward pass. */
    public abstract Tensor forward(Tensor x);

    /** This module's own parameters by local name, in a fixed order (empty by default). */
    protected Map<String, Parameter> ownParameters() {
        return Map.of();
    }

    /** Child modules by name, in a fixed order (empty by default). */
    protected Map<String, Module> children() {
        return Map.of();
    }

    /** All parameters of the tree with their dotted names, depth first, in declaration order. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : ownParameters().entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> e : children().entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    /** All parameters of the tree (each once). */
    public final List<Parameter> parameters() {
        Set<Parameter> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : namedParameters().values()) if (seen.add(p)) out.add(p);
        return out;
    }

    /** Number of trainable values. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.numel();
        return n;
    }

    /** Every module of the tree, this one first, depth first. */
    public final List<Module> modules() {
        List<Module> out = new ArrayList<>();
        out.add(this);
        for (Module c : children().values()) out.addAll(c.modules());
        return out;
    }

    /** Training mode for the whole tree (dropout active); returns this. */
    public Module train() {
        for (Module m : modules()) m.training = true;
        return this;
    }

    /** Evaluation mode for the whole tree (dropout off); returns this. */
    public Module eval() {
        for (Module m : modules()) m.training = false;
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /**
     * Moves every parameter (values and gradients) to {@code device}, e.g. {@code Backends.device()}: from
     * then on the forward and backward passes, the optimizer's update and its state stay there; reading a
     * parameter on the host ({@code data()}, {@link #stateDict()}) copies on demand. Views taken earlier
     * ({@code stateDict()}) keep the old host arrays. Returns this.
     */
    public Module toDevice(distill4j.kernels.device.DeviceKernels device) {
        for (Parameter p : parameters()) p.toDeviceInPlace(device);
        return this;
    }

    /** Moves every parameter back to the host (frees its device memory); returns this. */
    public Module toHost() {
        for (Parameter p : parameters()) p.toHostInPlace();
        return this;
    }

    /** Clears the accumulated gradients of every parameter. */
    public void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    /** forward() in evaluation mode without recording a graph; restores the previous mode. */
    @SuppressWarnings("try") // the scope object only restores the grad mode on close
    public Tensor predict(Tensor x) {
        boolean was = training;
        eval();
        try (var g = Grad.disabled()) {
            return forward(x);
        } finally {
            if (was) train();
        }
    }

    /**
     * Parameters by name as tensors sharing the parameters' storage (no copy, outside the graph), for
     * saving. The order is {@link #namedParameters()}'s.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : namedParameters().entrySet()) out.put(e.getKey(), e.getValue().detach());
        return out;
    }

    /**
     * Copies values into the parameters by name. Strict: every parameter must be present with its
     * exact shape, and no unknown name may appear.
     */
    public void loadStateDict(Map<String, Tensor> state) {
        Map<String, Parameter> params = namedParameters();
        Set<String> missing = new LinkedHashSet<>(params.keySet());
        missing.removeAll(state.keySet());
        Set<String> unexpected = new LinkedHashSet<>(state.keySet());
        unexpected.removeAll(params.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: missing " + missing + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("loadStateDict: '" + e.getKey() + "' has shape " + Shapes.str(src.shape())
                        + " but the parameter has shape " + Shapes.str(e.getValue().shape()));
            }
        }
        for (Map.Entry<String, Parameter> e : params.entrySet()) e.getValue().set(state.get(e.getKey()).data());
    }
}
