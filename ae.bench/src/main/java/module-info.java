/** JMH benchmarks and the reference workloads. */
module ae.bench {
    requires ae.models;
}
