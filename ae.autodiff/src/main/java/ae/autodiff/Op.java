package ae.autodiff;

/**
 * One recorded operation: a forward that overwrites its output's value, and a backward that ACCUMULATES the
 * gradients of its inputs (those that have one) from its output's gradient. Every buffer an operation needs is
 * allocated when it is constructed, so replaying forward and backward allocates nothing.
 */
abstract class Op {
    private final String label;
    protected final Node output;
    private final Node[] inputs;

    protected Op(String label, Node output, Node... inputs) {
        this.label = label;
        this.output = output;
        this.inputs = inputs.clone();
    }

    /** Operation name and output, for messages: "linear[sigmoid] -> h1". */
    public String label() {
        return label + " -> " + output.name();
    }

    public Node output() {
        return output;
    }

    /** Every node the forward reads and the backward may send gradient to. */
    public Node[] inputs() {
        return inputs.clone();
    }

    public abstract void forward();

    public abstract void backward();

    /** True for operations whose forward uses random numbers drawn by {@link #drawNoise}. */
    public boolean drawsNoise() {
        return false;
    }

    /** Redraws this operation's random numbers for noise step {@code step} (called before a fresh forward). */
    public void drawNoise(long seed, long step) {
    }

    /** Clears gradient accumulators the operation owns beside its output's gradient (called before a backward). */
    public void zeroAccumulators() {
    }
}
