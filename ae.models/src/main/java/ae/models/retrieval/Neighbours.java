package ae.models.retrieval;

/**
 * Codes found for one query, nearest first (ties by row id): their positions in the index, row ids, Hamming
 * distances and labels (null when the index has none).
 */
public record Neighbours(int[] positions, long[] rowIds, int[] distances, int[] labels) {
    static Neighbours of(HammingIndex index, int[] positions, int[] distances) {
        long[] ids = new long[positions.length];
        int[] labels = index.hasLabels() ? new int[positions.length] : null;
        for (int i = 0; i < positions.length; i++) {
            ids[i] = index.rowId(positions[i]);
            if (labels != null) {
                labels[i] = index.label(positions[i]);
            }
        }
        return new Neighbours(positions, ids, distances, labels);
    }

    /** The number of neighbours found. */
    public int size() {
        return positions.length;
    }
}
