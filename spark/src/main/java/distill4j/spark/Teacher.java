package distill4j.spark;

import distill4j.engine.io.Safetensors;
import distill4j.engine.io.StateDict;
import distill4j.examples.train.Net;
import java.io.IOException;
import java.io.Serializable;

/**
 * A trained {@link Net} as bytes for a Spark broadcast: its layer sizes and options, and its state as a
 * safetensors file with the engine's SHA-256 of the tensor data, which every executor checks when it
 * rebuilds the net.
 */
public record Teacher(String name, int[] sizes, float dropoutInput, float dropoutHidden, float maxNorm, boolean dampenByMomentum,
                      long seed, byte[] state) implements Serializable {
    private static final long serialVersionUID = 1L;

    public static Teacher of(String name, Net net) {
        Net.Options o = net.options();
        byte[] bytes = Safetensors.serialize(Safetensors.withChecksum(net.state().toSafetensors()));
        return new Teacher(name, net.sizes(), o.dropoutInput(), o.dropoutHidden(), o.maxNorm(), o.dampenByMomentum(), o.seed(), bytes);
    }

    /** The net again, its checksum verified. */
    public Net net() throws IOException {
        Net net = new Net(sizes, new Net.Options(dropoutInput, dropoutHidden, maxNorm, dampenByMomentum, seed));
        String source = "broadcast teacher " + name;
        net.load(StateDict.fromSafetensors(Safetensors.parse(state, source), source), source);
        return net;
    }
}
