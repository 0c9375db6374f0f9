package ae.models;

import ae.tensor.Tensor;

/** A step that back-propagates a recorded objective: forward with the step's noise, finite check, backward. */
final class GraphStep implements PhaseStep {
    private final ModelGraph graph;

    GraphStep(ModelGraph graph) {
        this.graph = graph;
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
    public void close() {
        graph.close();
    }
}
