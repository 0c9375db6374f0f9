/** A module-path consumer of ae: reads ae.models, which brings ae.tensor, ae.autodiff and ae.data with it. */
module ae.examples.train {
    requires ae.models;
}
