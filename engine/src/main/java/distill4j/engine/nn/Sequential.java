package distill4j.engine.nn;

import distill4j.engine.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Modules applied in order; children are named "0", "1", ... as in PyTorch. */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this(List.of(layers));
    }

    public Sequential(List<? extends Module> layers) {
        this.layers = Collections.unmodifiableList(new ArrayList<>(layers));
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }

    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    public List<Module> layers() {
        return layers;
    }

    /** The Linear layers in order (e.g. for max-norm constraints or copying layers to a student). */
    public List<Linear> linears() {
        List<Linear> out = new ArrayList<>();
        for (Module m : modules()) if (m instanceof Linear) out.add((Linear) m);
        return out;
    }

    @Override
    protected Map<String, Module> children() {
        Map<String, Module> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) m.put(Integer.toString(i), layers.get(i));
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) sb.append(i > 0 ? ", " : "").append(layers.get(i));
        return sb.append(')').toString();
    }
}
