package ae.autodiff;

import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The off-heap owner of a model's parameters: values and gradients of one element type, freed together on
 * {@link #close()}. Graphs only borrow them.
 */
public final class ParameterStore implements AutoCloseable, Iterable<Parameter> {
    private final TensorScope scope;
    private final DType dtype;
    private final Map<String, Parameter> byName = new LinkedHashMap<>();

    private ParameterStore(String name, DType dtype) {
        this.scope = TensorScope.open(name);
        this.dtype = dtype;
    }

    /** An empty store whose parameters will all be of {@code dtype}. */
    public static ParameterStore open(String name, DType dtype) {
        return new ParameterStore(name, dtype);
    }

    /** The element type of every parameter in the store. */
    public DType dtype() {
        return dtype;
    }

    /** A new zero-filled parameter (and zero gradient); names are unique within the store. */
    public Parameter create(String name, int... shape) {
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("parameter '" + name + "' already exists in " + scope.name());
        }
        if (shape.length < 1 || shape.length > 2) {
            throw new IllegalArgumentException("parameter '" + name + "' must be a vector or a matrix, got shape "
                    + ae.tensor.Shapes.format(shape));
        }
        Tensor value = scope.allocate(dtype, shape);
        Tensor grad = scope.allocate(dtype, shape);
        Parameter p = new Parameter(name, value, grad);
        byName.put(name, p);
        return p;
    }

    /** The parameter called {@code name}; throws if there is none. */
    public Parameter get(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter '" + name + "' in " + scope.name() + "; have "
                    + byName.keySet());
        }
        return p;
    }

    /** In creation order. */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(new ArrayList<>(byName.values()));
    }

    @Override
    public Iterator<Parameter> iterator() {
        return parameters().iterator();
    }

    /** Total number of scalar parameters. */
    public long size() {
        long n = 0;
        for (Parameter p : byName.values()) {
            n += p.size();
        }
        return n;
    }

    /** Sets every parameter's gradient to zero. */
    public void zeroGradients() {
        for (Parameter p : byName.values()) {
            p.zeroGrad();
        }
    }

    @Override
    public void close() {
        scope.close();
    }
}
