package ae.models;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.LinkedHashMap;
import java.util.Map;

/** Off-heap copies of a set of live tensors, to go back to: the last good epoch, or the best one. */
final class Snapshot implements AutoCloseable {
    private final TensorScope scope;
    private final Tensor[] live;
    private final Tensor[] copies;
    private final String[] names;

    Snapshot(String what, Map<String, Tensor> tensors) {
        this.scope = TensorScope.open(what);
        this.live = tensors.values().toArray(Tensor[]::new);
        this.names = tensors.keySet().toArray(String[]::new);
        this.copies = new Tensor[live.length];
        try {
            for (int i = 0; i < live.length; i++) {
                copies[i] = scope.allocate(live[i].dtype(), live[i].shape());
            }
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    void capture() {
        for (int i = 0; i < live.length; i++) {
            copies[i].copyFrom(live[i]);
        }
    }

    void restore() {
        for (int i = 0; i < live.length; i++) {
            live[i].copyFrom(copies[i]);
        }
    }

    /** The copies under {@code prefix + name}, for checkpoints. */
    Map<String, Tensor> copies(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            out.put(prefix + names[i], copies[i]);
        }
        return out;
    }

    @Override
    public void close() {
        scope.close();
    }
}
