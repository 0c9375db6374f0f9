package ae.models;

/** How a dense layer's weights and biases are drawn before training. */
public enum Initialization {
    /**
     * PyTorch's {@code nn.Linear} default: weights and biases uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn)]}; the
     * reference workloads use it.
     */
    FAN_IN_UNIFORM("fan-in-uniform"),
    /**
     * Glorot and Bengio (2010): weights uniform in {@code [-sqrt(6/(fanIn+fanOut)), +sqrt(6/(fanIn+fanOut))]}, biases
     * zero; keeps activations' variance steady through deep sigmoid or tanh stacks.
     */
    GLOROT_UNIFORM("glorot-uniform");

    private final String stableName;

    Initialization(String stableName) {
        this.stableName = stableName;
    }

    /** The name checkpoints store. */
    public String stableName() {
        return stableName;
    }

    /** The initialization whose {@link #stableName()} is {@code name}. */
    public static Initialization byStableName(String name) {
        for (Initialization i : values()) {
            if (i.stableName.equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initialization '" + name + "' (fan-in-uniform, glorot-uniform)");
    }

    /** The half-width of the uniform weight distribution. */
    public double weightBound(int fanIn, int fanOut) {
        return switch (this) {
            case FAN_IN_UNIFORM -> 1 / Math.sqrt(fanIn);
            case GLOROT_UNIFORM -> Math.sqrt(6.0 / (fanIn + fanOut));
        };
    }

    /** The half-width of the uniform bias distribution (0: biases start at zero). */
    public double biasBound(int fanIn) {
        return switch (this) {
            case FAN_IN_UNIFORM -> 1 / Math.sqrt(fanIn);
            case GLOROT_UNIFORM -> 0;
        };
    }
}
