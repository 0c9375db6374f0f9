package ae.autodiff;

import ae.tensor.Rng;

/**
 * The random numbers of one operation: a generator forked from the graph seed by the operation's stream, and from
 * that, one generator per noise step. Noise is thus a pure function of (seed, stream, step), independent of threads
 * and of how many steps other graphs took, and a graph can jump to any step.
 */
final class NoiseSource {
    private final long stream;
    private final Rng stepRng = Rng.seeded(0);
    private Rng streamRng;
    private long seed;

    public NoiseSource(long stream) {
        this.stream = stream;
    }

    /** The generator of {@code step}: one object, reset on every call, so valid until the next call. */
    public Rng at(long graphSeed, long step) {
        if (streamRng == null || graphSeed != seed) {
            streamRng = Rng.seeded(graphSeed).fork(stream);
            seed = graphSeed;
        }
        return streamRng.forkInto(step, stepRng);
    }
}
