/** Datasets, file readers, synthetic manifolds and seeded batching. */
module ae.data {
    requires transitive ae.tensor;
    exports ae.data;
}
