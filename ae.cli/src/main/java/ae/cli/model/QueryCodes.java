package ae.cli.model;

import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.models.retrieval.BinaryCodes;
import ae.models.retrieval.HammingIndex;
import ae.models.retrieval.IndexFiles;
import ae.models.retrieval.PackedCodeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The {@code --index} and {@code --queries} of ae search and ae eval-retrieval, read and checked against each other. */
record QueryCodes(HammingIndex index, BinaryCodes codes, long[] rowIds, int[] labels) {
    static final Option INDEX = Option.withValue("--index", "FILE", "index.aeh", "the index: an .aeh file written by"
            + " ae hash");
    static final Option QUERIES = Option.withValue("--queries", "FILE", "queries.aeh",
            "the query codes: an .aeh file (ae hash --split test, for example; its row ids and labels go with them)"
                    + " or a packed .npy file (ae hash --out q.npy), of the index's code length");

    static QueryCodes read(Path indexFile, Path queriesFile) throws IOException {
        HammingIndex index = IndexFiles.read(existing(indexFile, "index"));
        Path file = existing(queriesFile, "query");
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            BinaryCodes codes;
            try {
                codes = PackedCodeFiles.read(file, index.bits());
            } catch (IllegalArgumentException e) {
                throw new CommandFailedException(e.getMessage());
            }
            long[] ids = new long[codes.count()];
            java.util.Arrays.setAll(ids, i -> i);
            return new QueryCodes(index, codes, ids, null);
        }
        HammingIndex queries = IndexFiles.read(file);
        if (queries.bits() != index.bits()) {
            throw new CommandFailedException(file + ": query codes of " + queries.bits() + " bits, the index "
                    + indexFile + " has codes of " + index.bits() + " bits");
        }
        long[] ids = new long[queries.size()];
        int[] labels = queries.hasLabels() ? new int[queries.size()] : null;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = queries.rowId(i);
            if (labels != null) {
                labels[i] = queries.label(i);
            }
        }
        return new QueryCodes(index, queries.codes(), ids, labels);
    }

    private static Path existing(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new CommandFailedException("no " + what + " file at " + file);
        }
        return file;
    }
}
