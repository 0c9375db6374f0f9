package ae.models;

import ae.tensor.Tensor;

/** A step that back-propagates a recorded objective: forward with the step's noise, finite check, backward. */
final class GraphStep implements PhaseStep {
    private final ModelGraph graph;
    private final Runnable afterUpdate;

    GraphStep(ModelGraph graph) {
        this(graph, () -> { });
    }

    /** A step that runs {@code afterUpdate} after every optimizer update (a constraint on the parameters). */
    GraphStep(ModelGraph graph, Runnable afterUpdate) {
        this.graph = graph;
        this.afterUpdate = afterUpdate;
    }

    /** The step of {@code model}'s training graph, its decoder's column bound applied after every update. */
    static GraphStep training(FittedAutoencoder model, int rows, long noiseSeed) {
        Decoder decoder = model.config().decoder();
        return new GraphStep(ModelGraph.training(model.params, rows, noiseSeed, model.pool),
                () -> decoder.constrain(model.params));
    }

    @Override
    public double computeGradients(Tensor batch, long step) {
        graph.graph.bind(graph.input, batch);
        graph.graph.seekNoise(step);
        graph.graph.forward();
        double objective = graph.graph.scalar(graph.objective);
        if (!Double.isFinite(objective)) {
            return objective;
        }
        graph.graph.backward(graph.objective);
        return objective;
    }

    @Override
    public void afterUpdate() {
        afterUpdate.run();
    }

    @Override
    public void close() {
        graph.close();
    }
}
