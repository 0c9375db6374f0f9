/** Reverse-mode automatic differentiation over ae.tensor. */
module ae.autodiff {
    requires transitive ae.tensor;
}
