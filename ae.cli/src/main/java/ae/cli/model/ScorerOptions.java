package ae.cli.model;

import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.models.AnomalyScorer;
import ae.models.AnomalyScorers;
import ae.models.ModelConfig;
import ae.models.PartKind;
import ae.models.Presets;
import ae.models.ResidualAndCodeScorer;
import ae.models.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --scorer} option and the scorers' settings as options ({@code --samples}, {@code --neighbours}, ...),
 * derived from {@link AnomalyScorers}: what {@code ae score} and {@code ae bench anomaly} share.
 */
public final class ScorerOptions {
    /** The anomaly preset's scorer on 28 x 28 images, whose settings differ from the scorer's defaults. */
    private static final ResidualAndCodeScorer ANOMALY = Presets.anomalyScorer(784);
    public static final Option SCORER = Option.withValue("--scorer", "NAME", "the model's",
            "how rows are scored: " + scorerHelp() + ". Without --scorer: the anomaly preset's"
                    + " residual-and-code with code weight " + ANOMALY.codeWeight() + " and, on square images,"
                    + " smoothing " + ANOMALY.smoothing() + " (the defaults below are those of --scorer"
                    + " residual-and-code), iwae for a model with a prior, and model-loss for the others");
    private static final Map<String, List<Setting<?>>> SETTINGS_BY_OPTION = settingsByOption();
    public static final List<Option> SETTING_OPTIONS = settingOptions();

    private ScorerOptions() {
    }

    private static String scorerHelp() {
        List<String> out = new ArrayList<>();
        for (PartKind<? extends AnomalyScorer> kind : AnomalyScorers.kinds()) {
            out.add(kind.name() + " (" + kind.help() + ")");
        }
        return String.join(", ", out);
    }

    private static Map<String, List<Setting<?>>> settingsByOption() {
        Map<String, List<Setting<?>>> out = new LinkedHashMap<>();
        for (PartKind<? extends AnomalyScorer> kind : AnomalyScorers.kinds()) {
            for (Setting<?> s : kind.settings()) {
                if (s.option() != null) {
                    List<Setting<?>> list = out.computeIfAbsent(s.option(), k -> new ArrayList<>());
                    if (list.stream().noneMatch(other -> other.key().equals(s.key()))) {
                        list.add(s);
                    }
                }
            }
        }
        return out;
    }

    private static List<Option> settingOptions() {
        List<Option> out = new ArrayList<>();
        for (Map.Entry<String, List<Setting<?>>> e : SETTINGS_BY_OPTION.entrySet()) {
            Setting<?> s = e.getValue().getFirst();
            String valueName = s.type() == Setting.Type.INTEGER ? "N" : s.type() == Setting.Type.BOOLEAN ? "BOOL" : "X";
            out.add(Option.withValue(e.getKey(), valueName, s.describe(s.defaultValue()), s.help()));
        }
        return List.copyOf(out);
    }

    /**
     * The scorers named by {@code --scorer} (comma-separated when {@code several}), or {@code model}'s default, with
     * the given setting options applied; a setting option no chosen scorer has is refused.
     */
    public static List<AnomalyScorer> scorers(ParsedOptions options, ModelConfig model, boolean several) {
        List<AnomalyScorer> chosen = new ArrayList<>();
        if (!options.isGiven(SCORER.name())) {
            chosen.add(AnomalyScorers.defaultFor(model));
        } else {
            List<String> names = several ? options.list(SCORER.name()) : List.of(options.value(SCORER.name()).trim());
            for (String name : names) {
                try {
                    chosen.add(AnomalyScorers.byName(name.trim()));
                } catch (IllegalArgumentException e) {
                    throw new UsageException(SCORER.name() + ": " + e.getMessage());
                }
            }
        }
        Map<String, Boolean> used = new LinkedHashMap<>();
        List<AnomalyScorer> out = new ArrayList<>();
        for (AnomalyScorer scorer : chosen) {
            out.add(withOptions(options, scorer, used));
        }
        for (Map.Entry<String, Boolean> e : used.entrySet()) {
            if (!e.getValue()) {
                throw new UsageException(e.getKey() + " is a setting of the " + holders(e.getKey())
                        + " scorer, which --scorer did not choose");
            }
        }
        for (AnomalyScorer scorer : out) {
            try {
                scorer.check(model);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static AnomalyScorer withOptions(ParsedOptions options, AnomalyScorer scorer, Map<String, Boolean> used) {
        PartKind<AnomalyScorer> kind = (PartKind<AnomalyScorer>) scorer.kind();
        Map<String, Object> changes = new LinkedHashMap<>();
        for (String option : SETTINGS_BY_OPTION.keySet()) {
            if (!options.isGiven(option)) {
                continue;
            }
            used.putIfAbsent(option, false);
            for (Setting<AnomalyScorer> s : kind.settings()) {
                if (option.equals(s.option())) {
                    changes.put(s.key(), options.settingValue(option, s.type()));
                    used.put(option, true);
                }
            }
        }
        try {
            return changes.isEmpty() ? scorer : kind.with(scorer, changes);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }


    private static String holders(String option) {
        List<String> names = new ArrayList<>();
        for (PartKind<? extends AnomalyScorer> kind : AnomalyScorers.kinds()) {
            if (kind.settings().stream().anyMatch(s -> option.equals(s.option()))) {
                names.add(kind.name());
            }
        }
        return String.join(", ", names);
    }
}
