package ae.spark;

import org.apache.spark.sql.SparkSession;

/** One real local Spark for the test JVM: two task threads, up to four attempts per task, no UI, on loopback. */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("ae.spark tests")
                    // local[N, F]: N task threads, F attempts per task (plain local[N] never retries a task).
                    .master("local[2,4]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.sql.adaptive.enabled", "false")
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
        }
        return session;
    }
}
