package ae.spark;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Where a benchmark's Spark time goes: jobs and their wall time, and the tasks' run, deserialization and result
 * serialization times (Spark's task metrics), summed from {@link #reset} on.
 */
final class JobTimings extends SparkListener {
    private final Map<Integer, Long> started = new ConcurrentHashMap<>();
    private long jobs;
    private long jobMillis;
    private long tasks;
    private long runMillis;
    private long deserializeMillis;
    private long resultSerializeMillis;
    private long resultBytes;

    synchronized void reset() {
        jobs = jobMillis = tasks = runMillis = deserializeMillis = resultSerializeMillis = resultBytes = 0;
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        started.put(start.jobId(), start.time());
    }

    @Override
    public synchronized void onJobEnd(SparkListenerJobEnd end) {
        Long from = started.remove(end.jobId());
        if (from != null) {
            jobs++;
            jobMillis += end.time() - from;
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics metrics = end.taskMetrics();
        if (metrics != null) {
            tasks++;
            runMillis += metrics.executorRunTime();
            deserializeMillis += metrics.executorDeserializeTime();
            resultSerializeMillis += metrics.resultSerializationTime();
            resultBytes += metrics.resultSize();
        }
    }

    /** Per job: wall time; per task: run, deserialization and result serialization time, result size. */
    synchronized String summary() {
        if (jobs == 0 || tasks == 0) {
            return "no jobs";
        }
        return String.format(Locale.ROOT, "%d jobs, %.1f ms each; %d tasks: run %.1f ms, deserialize %.1f ms,"
                + " result serialization %.1f ms, result %.2f MB each", jobs, (double) jobMillis / jobs, tasks,
                (double) runMillis / tasks, (double) deserializeMillis / tasks,
                (double) resultSerializeMillis / tasks, resultBytes / 1e6 / tasks);
    }
}
