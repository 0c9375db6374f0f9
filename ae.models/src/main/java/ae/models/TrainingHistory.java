package ae.models;

import java.util.List;

/**
 * What happened during training.
 *
 * @param epochs every finished epoch, pretraining phases first
 * @param outcome why training ended
 * @param message one line for people: how it ended and which parameters the model kept
 */
public record TrainingHistory(List<EpochReport> epochs, Outcome outcome, String message) {
    /** Why training ended. */
    public enum Outcome {
        /** Every requested epoch ran. */
        COMPLETED("completed"),
        /** The validation loss stopped improving; the model keeps the best epoch's parameters. */
        EARLY_STOPPED("early-stopped"),
        /** A loss became NaN or infinite; the model keeps the parameters of the last epoch that ended finite. */
        DIVERGED("diverged");

        private final String stableName;

        Outcome(String stableName) {
            this.stableName = stableName;
        }

        /** The word checkpoints and JSON output use. */
        public String stableName() {
            return stableName;
        }

        /** The outcome whose {@link #stableName()} is {@code name}. */
        public static Outcome byStableName(String name) {
            for (Outcome o : values()) {
                if (o.stableName.equals(name)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown outcome '" + name + "' (completed, early-stopped, diverged)");
        }
    }

    /** Copies {@code epochs}. */
    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    /** The last epoch's report of the end-to-end phase, or null if none ran. */
    public EpochReport last() {
        return epochs.isEmpty() ? null : epochs.getLast();
    }
}
