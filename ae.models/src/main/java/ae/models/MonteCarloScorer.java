package ae.models;

import ae.tensor.Tensor;
import java.util.List;

/**
 * The scores of a model with a prior (a VAE) that average over draws of q(h|x), each a pure function of its seed:
 * the negative evidence lower bound, the negative importance-weighted log-likelihood (Burda et al.), and the negative
 * reconstruction log-probability (An and Cho).
 */
public record MonteCarloScorer(Estimate estimate, int samples, long seed) implements AnomalyScorer {
    /** Which estimate: each kind of this record is one of them. */
    public enum Estimate {
        /** The negative evidence lower bound. */
        NEGATIVE_ELBO("negative-elbo", "the negative evidence lower bound, -E_q[log p(x|h)] + KL(q(h|x) || p(h)),"
                + " its reconstruction term averaged over the draws"),
        /** The negative importance-weighted log-likelihood (Burda et al.). */
        IWAE("iwae", "the negative importance-weighted log-likelihood, -log (1/k) sum_i p(x, h_i) / q(h_i|x): a"
                + " tighter bound on -log p(x) as the draws grow"),
        /** The negative reconstruction log-probability (An and Cho). */
        RECONSTRUCTION_PROBABILITY("reconstruction-probability", "the negative reconstruction log-probability,"
                + " -E_q[log p(x|h)] (An and Cho), without the KL");

        private final String stableName;
        private final String help;

        Estimate(String stableName, String help) {
            this.stableName = stableName;
            this.help = help;
        }

        /** The estimate's name in checkpoints and on the command line, e.g. {@code iwae}. */
        public String stableName() {
            return stableName;
        }
    }

    public static final PartKind<MonteCarloScorer> NEGATIVE_ELBO = kind(Estimate.NEGATIVE_ELBO);
    public static final PartKind<MonteCarloScorer> IWAE = kind(Estimate.IWAE);
    public static final PartKind<MonteCarloScorer> RECONSTRUCTION_PROBABILITY = kind(Estimate.RECONSTRUCTION_PROBABILITY);

    private static PartKind<MonteCarloScorer> kind(Estimate estimate) {
        return PartKind.of(MonteCarloScorer.class, estimate.stableName, estimate.help + " (needs a model with a prior)",
                List.of(Setting.integer("samples", 16, "--samples", "draws of q(h|x) per row in the Monte Carlo"
                                + " scores (negative-elbo, iwae, reconstruction-probability)", MonteCarloScorer::samples),
                        Setting.integer("seed", 0, "--score-seed", "the seed of the Monte Carlo scores' draws",
                                s -> (int) s.seed())),
                v -> new MonteCarloScorer(estimate, v.integer("samples"), v.integer("seed")));
    }

    /** Checks the settings; throws {@link IllegalArgumentException} for fewer than one draw. */
    public MonteCarloScorer {
        java.util.Objects.requireNonNull(estimate, "estimate");
        if (samples < 1) {
            throw new IllegalArgumentException(estimate.stableName + ": samples must be >= 1, got " + samples);
        }
    }

    @Override
    public PartKind<MonteCarloScorer> kind() {
        return switch (estimate) {
            case NEGATIVE_ELBO -> NEGATIVE_ELBO;
            case IWAE -> IWAE;
            case RECONSTRUCTION_PROBABILITY -> RECONSTRUCTION_PROBABILITY;
        };
    }

    @Override
    public boolean learnsFromTrainingRows() {
        return false;
    }

    @Override
    public void check(ModelConfig model) {
        if (!model.encoder().hasPrior()) {
            throw new IllegalArgumentException("scorer " + estimate.stableName + " needs a model with a prior p(h)"
                    + " (a variational autoencoder, e.g. --model vae); model '" + model.name() + "' has a "
                    + model.encoder().kind().name() + " encoder");
        }
    }

    @Override
    public Fitted fit(FittedAutoencoder model, Tensor train) {
        check(model.config());
        return x -> {
            double[] values = switch (estimate) {
                case NEGATIVE_ELBO -> model.elbo(x, samples, seed);
                case IWAE -> model.logLikelihood(x, samples, seed);
                case RECONSTRUCTION_PROBABILITY -> model.reconstructionLogProbability(x, samples, seed);
            };
            for (int i = 0; i < values.length; i++) {
                values[i] = -values[i];
            }
            return values;
        };
    }
}
