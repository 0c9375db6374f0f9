package ae.autodiff;

import ae.tensor.Tensor;

/**
 * A gradient tensor that, between the start of a backward pass and its first contribution, is <em>pending</em>: its
 * stale values stand for zeros. A contributor either claims it ({@link #claim()}: overwrite if pending, else add) or
 * resolves it ({@link #resolvePending()}: zeroes it if pending) before adding. Reading it while pending is a bug,
 * so {@link #tensorIfWritten()} gives null then. Not thread-safe: claim and resolve on the thread that runs the operation,
 * before handing the tensor to workers.
 */
final class GradientBuffer {
    private final Tensor tensor;
    /** Preallocated so that claiming allocates nothing. */
    private final GradientClaim overwrite;
    private final GradientClaim add;
    private boolean pending;

    GradientBuffer(Tensor tensor) {
        this.tensor = tensor;
        this.overwrite = new GradientClaim(tensor, true);
        this.add = new GradientClaim(tensor, false);
    }

    /** Starts a backward pass: the tensor stands for zeros until claimed or resolved. */
    void markPending() {
        pending = true;
    }

    boolean isPending() {
        return pending;
    }

    /** The one claim of a contributor: overwrite if nothing has been written in this pass, else add. */
    GradientClaim claim() {
        GradientClaim claim = pending ? overwrite : add;
        pending = false;
        return claim;
    }

    /** Zeroes the tensor if it is pending, so that the caller may add to it (or read it); returns it. */
    Tensor resolvePending() {
        if (pending) {
            pending = false;
            Elements.zero(tensor);
        }
        return tensor;
    }

    /** Zeroes the tensor now. */
    void clear() {
        pending = false;
        Elements.zero(tensor);
    }

    /** The tensor, for reading after a backward pass; null while it is pending. */
    Tensor tensorIfWritten() {
        return pending ? null : tensor;
    }

    /** The error for reading a pending gradient; built only then, so that reading allocates nothing. */
    static IllegalStateException readWhilePending(String owner) {
        return new IllegalStateException("the gradient of " + owner + " is pending: a backward pass has started and "
                + "not finished, and nothing has written it yet");
    }

    /** The tensor whatever its state: for wiring at build time, before any backward pass. */
    Tensor storage() {
        return tensor;
    }
}
