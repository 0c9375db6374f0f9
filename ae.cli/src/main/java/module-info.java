/** The ae command. */
module ae.cli {
    requires ae.models;
    // javax.imageio and java.awt for the pictures (PNG), drawn headless.
    requires java.desktop;
    // com.sun.management.ThreadMXBean: the training thread's allocated bytes for ae bench workload.
    requires jdk.management;
}
