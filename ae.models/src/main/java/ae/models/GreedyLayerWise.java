package ae.models;

import ae.autodiff.Parameter;
import ae.tensor.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy layer-wise pretraining, then end-to-end fine-tuning. Layer {@code l} is pretrained as a shallow autoencoder
 * on the codes of the (frozen) layers below it: encoder layer {@code l} with its mirror decoder layer {@code L-1-l},
 * reconstructing its own input (with the model's likelihood for the first layer, squared error above), for
 * {@code pretrainEpochs} epochs, regularized by {@code layerPenalties} and {@code layerCorruption}. Fine-tuning then
 * trains everything with the model's own objective for the training configuration's epochs. Phases are named
 * {@code pretrain-layer-<l>}, then {@code train}; with 0 pretraining epochs only the end-to-end phase runs.
 */
public record GreedyLayerWise(int pretrainEpochs, List<Penalty> layerPenalties, Corruption layerCorruption)
        implements TrainingProcedure {
    public static final PartKind<GreedyLayerWise> KIND = PartKind.of(GreedyLayerWise.class, "greedy-layer-wise",
            "greedy layer-wise pretraining of each encoder layer with its mirror decoder layer, then fine-tuning",
            List.of(Setting.integer("pretrain-epochs", 2, "--pretrain-epochs",
                            "pretraining epochs per layer, greedy or RBM (--pretrain rbm: 5 unless set); 0: none",
                            GreedyLayerWise::pretrainEpochs),
                    Setting.penalties("penalties", "the penalties of each layer's pretraining",
                            GreedyLayerWise::layerPenalties),
                    Setting.corruption("corruption", "the corruption of each layer's input in pretraining",
                            GreedyLayerWise::layerCorruption)),
            v -> new GreedyLayerWise(v.integer("pretrain-epochs"), v.penalties("penalties"),
                    v.corruption("corruption")));

    /** Checks the settings; throws {@link IllegalArgumentException} for a negative number of pretraining epochs. */
    public GreedyLayerWise {
        if (pretrainEpochs < 0) {
            throw new IllegalArgumentException("greedy pretraining needs >= 0 epochs per layer, got " + pretrainEpochs);
        }
        layerPenalties = List.copyOf(layerPenalties);
        java.util.Objects.requireNonNull(layerCorruption, "layerCorruption");
    }

    @Override
    public PartKind<GreedyLayerWise> kind() {
        return KIND;
    }

    @Override
    public GreedyLayerWise withPenalty(Penalty penalty) {
        List<Penalty> penalties = new ArrayList<>();
        for (Penalty p : layerPenalties) {
            if (p.kind() != penalty.kind()) {
                penalties.add(p);
            }
        }
        penalties.add(penalty);
        return new GreedyLayerWise(pretrainEpochs, penalties, layerCorruption);
    }

    @Override
    public void check(String model, Encoder encoder, Decoder decoder) {
        if (!(encoder instanceof DeterministicEncoder)) {
            throw new IllegalArgumentException("model '" + model + "': greedy layer-wise training needs a"
                    + " deterministic encoder, not " + encoder.kind().name());
        }
        if (encoder.depth() != decoder.layers().size()) {
            throw new IllegalArgumentException("model '" + model + "': greedy layer-wise training pairs each"
                    + " encoder layer with its mirror decoder layer, so both stacks need the same depth");
        }
        for (LayerSpec layer : encoder.layers()) {
            for (Penalty p : layerPenalties) {
                p.check(model, 1, layer.activation());
            }
        }
    }

    @Override
    public List<PhasePlan> plan(ModelConfig model, int endToEndEpochs) {
        List<PhasePlan> phases = new ArrayList<>();
        for (int l = 0; l < model.encoder().depth(); l++) {
            phases.add(new PhasePlan("pretrain-layer-" + l, pretrainEpochs, false));
        }
        phases.add(new PhasePlan("train", endToEndEpochs, true));
        return phases;
    }

    @Override
    public List<Parameter> parameters(int phase, FittedAutoencoder model) {
        int depth = model.config().encoder().depth();
        if (phase == depth) {
            return model.params.all();
        }
        int mirror = depth - 1 - phase;
        List<Parameter> out = new ArrayList<>();
        out.add(model.params.get("encoder." + phase + ".weight"));
        out.add(model.params.get("encoder." + phase + ".bias"));
        if (!model.config().decoder().tied()) {
            out.add(model.params.get("decoder." + mirror + ".weight"));
        }
        out.add(model.params.get("decoder." + mirror + ".bias"));
        return out;
    }

    @Override
    public PhaseStep openStep(int phase, FittedAutoencoder model, int rows, long noiseSeed) {
        if (phase == model.config().encoder().depth()) {
            return GraphStep.training(model, rows, noiseSeed);
        }
        Decoder decoder = model.config().decoder();
        return new GraphStep(ModelGraph.pretraining(model.params, this, phase, rows, noiseSeed, model.pool),
                () -> decoder.constrain(model.params));
    }

    /** The activation the pretraining of layer {@code l} reconstructs with. */
    static Activation mirrorActivation(ModelConfig model, int layer) {
        return model.decoder().layers().get(model.encoder().depth() - 1 - layer).activation();
    }
}
