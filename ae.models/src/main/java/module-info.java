/** The autoencoder family of Deep Learning, chapter 14. */
module ae.models {
    requires transitive ae.tensor;
    requires transitive ae.autodiff;
    requires transitive ae.data;
}
