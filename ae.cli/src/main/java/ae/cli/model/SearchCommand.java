package ae.cli.model;

import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.json.Json;
import ae.models.retrieval.Neighbours;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ae search}: the neighbours of each query code in an index, by Hamming distance. */
public final class SearchCommand implements Command {
    static final Option K = Option.withValue("--k", "K", "100", "how many nearest codes to print for each query");
    static final Option RADIUS = Option.withValue("--radius", "R", "none",
            "instead of the k nearest, every code within Hamming distance R (0 to 3) of the query, found by looking"
                    + " up its bit flips in a hash table");
    static final Option JSON = Option.flag("--json", "print one JSON object per query: {\"query\": row id, \"label\":"
            + " ..., \"neighbours\": [{\"row\": ..., \"distance\": ..., \"label\": ...}, ...]}");

    @Override
    public List<String> path() {
        return List.of("search");
    }

    @Override
    public String summary() {
        return "the nearest codes in an index (or those within a Hamming radius) for each query code";
    }

    @Override
    public String description() {
        return """
                Reads --index and --queries and prints, for each query, its neighbours nearest first: row id, \
                Hamming distance and label (when the index has labels). Codes at the same distance are listed by \
                row id. With --k, an exhaustive SIMD scan keeps the k nearest; with --radius, the codes within the \
                radius are looked up by flipping up to R bits of the query.""";
    }

    @Override
    public List<Option> options() {
        return List.of(QueryCodes.INDEX, QueryCodes.QUERIES, K, RADIUS, JSON);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        boolean byRadius = options.isGiven(RADIUS.name());
        if (byRadius && options.isGiven(K.name())) {
            throw new UsageException("give either " + K.name() + " or " + RADIUS.name() + ", not both");
        }
        int k = byRadius ? 0 : options.positiveInt(K.name());
        int radius = byRadius ? options.nonNegativeInt(RADIUS.name()) : -1;
        if (radius > 3) {
            throw new UsageException(RADIUS.name() + " must be 0 to 3, got " + radius);
        }
        QueryCodes q = QueryCodes.read(Path.of(options.value(QueryCodes.INDEX.name())),
                Path.of(options.value(QueryCodes.QUERIES.name())));
        long[] query = new long[q.codes().wordsPerCode()];
        boolean json = options.flag(JSON.name());
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < q.codes().count(); i++) {
            q.codes().copyCode(i, query, 0);
            Neighbours found = byRadius ? q.index().within(query, radius) : q.index().nearest(query, k);
            if (json) {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("query", q.rowIds()[i]);
                if (q.labels() != null) {
                    object.put("label", q.labels()[i]);
                }
                List<Object> neighbours = new ArrayList<>();
                for (int j = 0; j < found.size(); j++) {
                    Map<String, Object> n = new LinkedHashMap<>();
                    n.put("row", found.rowIds()[j]);
                    n.put("distance", found.distances()[j]);
                    if (found.labels() != null) {
                        n.put("label", found.labels()[j]);
                    }
                    neighbours.add(n);
                }
                object.put("neighbours", neighbours);
                out.println(Json.write(object));
            } else {
                line.setLength(0);
                line.append("query ").append(q.rowIds()[i]);
                if (q.labels() != null) {
                    line.append(" (label ").append(q.labels()[i]).append(')');
                }
                line.append(": ").append(found.size()).append(found.size() == 1 ? " neighbour" : " neighbours")
                        .append(found.size() > 0 ? " (row:distance" + (found.labels() != null ? ":label)" : ")") : "");
                for (int j = 0; j < found.size(); j++) {
                    line.append(' ').append(found.rowIds()[j]).append(':').append(found.distances()[j]);
                    if (found.labels() != null) {
                        line.append(':').append(found.labels()[j]);
                    }
                }
                out.println(line);
            }
        }
        return 0;
    }
}
