/** The ae command. */
module ae.cli {
    requires ae.models;
}
