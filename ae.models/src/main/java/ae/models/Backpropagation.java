package ae.models;

import ae.autodiff.Parameter;
import java.util.List;

/** End-to-end backpropagation of the whole model's objective: one phase, {@code train}. */
public final class Backpropagation implements TrainingProcedure {
    static final Backpropagation INSTANCE = new Backpropagation();
    /** The part kind {@code backpropagation}, without settings. */
    public static final PartKind<Backpropagation> KIND = PartKind.of(Backpropagation.class, "backpropagation",
            "end-to-end backpropagation of the model's objective", List.of(), v -> INSTANCE);

    private Backpropagation() {
    }

    @Override
    public PartKind<Backpropagation> kind() {
        return KIND;
    }

    @Override
    public List<PhasePlan> plan(ModelConfig model, int endToEndEpochs) {
        return List.of(new PhasePlan("train", endToEndEpochs, true));
    }

    @Override
    public List<Parameter> parameters(int phase, FittedAutoencoder model) {
        return model.params.all();
    }

    @Override
    public PhaseStep openStep(int phase, FittedAutoencoder model, int rows, long noiseSeed) {
        return GraphStep.training(model, rows, noiseSeed);
    }

    @Override
    public String toString() {
        return "Backpropagation";
    }
}
