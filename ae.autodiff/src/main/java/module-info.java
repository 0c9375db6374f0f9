/** Reverse-mode automatic differentiation over ae.tensor: graphs, fused penalties, and the gradient checker. */
module ae.autodiff {
    requires transitive ae.tensor;
    exports ae.autodiff;
}
