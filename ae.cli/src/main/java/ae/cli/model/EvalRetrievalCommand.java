package ae.cli.model;

import ae.cli.CommandFailedException;
import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.json.Json;
import ae.models.retrieval.BinaryCodes;
import ae.models.retrieval.RetrievalEvaluation;
import ae.models.retrieval.RetrievalScores;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ae eval-retrieval}: mAP, precision at k and precision within a radius of an index's Hamming ranking. */
public final class EvalRetrievalCommand implements Command {
    static final Option K = Option.withValue("--k", "K", "100", "the cut-off of precision at k");
    static final Option RADIUS = Option.withValue("--radius", "R", "2", "the Hamming radius of precision within"
            + " the radius");
    static final Option PER_CLASS = Option.withValue("--per-class", "N", "all",
            "use only the first N queries of each label (100 gives the usual 1,000 Fashion-MNIST test queries)");
    static final Option JSON = Option.flag("--json", "print one JSON object: {\"index\", \"bits\", \"database\","
            + " \"queries\", \"map\", \"k\", \"precision_at_k\", \"radius\", \"precision_within_radius\","
            + " \"empty_radius_fraction\"}");

    @Override
    public List<String> path() {
        return List.of("eval-retrieval");
    }

    @Override
    public String summary() {
        return "retrieval quality of an index with class labels as relevance: mAP, P@k, precision within radius";
    }

    @Override
    public String description() {
        return """
                Ranks the whole index by Hamming distance for each query of --queries (an .aeh file with labels) and \
                prints the mean average precision over the ranking, the precision among the first --k, and the \
                precision among the codes within Hamming distance --radius (a query that finds none counts 0; the \
                fraction of such queries is printed too). A database code is relevant to a query when their labels \
                are equal. Codes at the same distance are ranked by row id, ascending.""";
    }

    @Override
    public List<Option> options() {
        return List.of(QueryCodes.INDEX, QueryCodes.QUERIES, K, RADIUS, PER_CLASS, JSON);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        int k = options.positiveInt(K.name());
        int radius = options.nonNegativeInt(RADIUS.name());
        Path indexFile = Path.of(options.value(QueryCodes.INDEX.name()));
        Path queriesFile = Path.of(options.value(QueryCodes.QUERIES.name()));
        int perClass = options.isGiven(PER_CLASS.name()) ? options.positiveInt(PER_CLASS.name()) : Integer.MAX_VALUE;
        QueryCodes q = QueryCodes.read(indexFile, queriesFile);
        if (!q.index().hasLabels()) {
            throw new CommandFailedException(indexFile + ": the index has no labels (relevance is by class label)");
        }
        if (q.labels() == null) {
            throw new CommandFailedException(queriesFile + ": the queries have no labels (give an .aeh file of"
                    + " labelled data)");
        }
        int[] rows = RetrievalEvaluation.firstPerClass(q.labels(), perClass);
        BinaryCodes codes = q.codes().select(rows);
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = q.labels()[rows[i]];
        }
        RetrievalScores s = RetrievalEvaluation.hamming(q.index(), codes, labels, k, radius);
        if (options.flag(JSON.name())) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("index", indexFile.toString());
            line.put("bits", q.index().bits());
            line.put("database", q.index().size());
            line.put("queries", s.queries());
            line.put("map", s.meanAveragePrecision());
            line.put("k", k);
            line.put("precision_at_k", s.precisionAtK());
            line.put("radius", radius);
            line.put("precision_within_radius", s.precisionWithinRadius());
            line.put("empty_radius_fraction", s.emptyRadiusFraction());
            out.println(Json.write(line));
        } else {
            out.printf(Locale.ROOT, "%s: %,d codes of %d bits, %,d queries%n", indexFile, q.index().size(),
                    q.index().bits(), s.queries());
            out.printf(Locale.ROOT, "mAP %.4f   P@%d %.4f   P(radius %d) %.4f (%.1f%% of queries find nothing"
                            + " within it)%n", s.meanAveragePrecision(), k, s.precisionAtK(), radius,
                    s.precisionWithinRadius(), 100 * s.emptyRadiusFraction());
        }
        return 0;
    }
}
