package ae.models.retrieval;

/**
 * Retrieval quality over a set of queries, with class labels as relevance (a database item is relevant to a query
 * when their labels are equal).
 *
 * @param queries how many queries were averaged
 * @param meanAveragePrecision mAP over the whole ranking of the database
 * @param k the cut-off of {@code precisionAtK}
 * @param precisionAtK the mean fraction of relevant items among the first k
 * @param radius the Hamming radius of {@code precisionWithinRadius} (-1 for a ranking without one)
 * @param precisionWithinRadius the mean fraction of relevant items among those within the radius, a query that
 *                              finds none counting 0 (NaN for a ranking without a radius)
 * @param emptyRadiusFraction the fraction of queries that find nothing within the radius (NaN without a radius)
 */
public record RetrievalScores(int queries, double meanAveragePrecision, int k, double precisionAtK, int radius,
                              double precisionWithinRadius, double emptyRadiusFraction) {
}
