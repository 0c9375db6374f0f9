/**
 * JMH benchmarks and the reference workloads.
 *
 * <p>Compiled as a module so the compiler checks what the benchmarks use, but run from the shaded
 * {@code benchmarks.jar} on the class path, the way JMH forks its measurement JVMs (see this module's pom).
 */
module ae.bench {
    requires ae.models;
    requires jmh.core;
    requires org.bytedeco.openblas;
}
