package ae.spark;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.spark.ExceptionFailure;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Ends a job at its first bad row. A task that meets one fails with a {@link BadRowException}; Spark would run it
 * again up to {@code spark.task.maxFailures} times, and the same row would fail it every time. This listener, on
 * the driver, cancels the task's stage instead, with the row's message as the reason.
 */
final class BadRowCancel extends SparkListener {
    /** How the reason starts, as Spark prints a task's exception: {@link SparkMain} finds the message by it. */
    static final String PREFIX = BadRowException.class.getName() + ": ";
    private static final Set<SparkContext> WATCHED = Collections.newSetFromMap(new WeakHashMap<>());
    private final SparkContext context;

    private BadRowCancel(SparkContext context) {
        this.context = context;
    }

    /** Watches {@code context}'s tasks (once per context). */
    static void watch(SparkContext context) {
        synchronized (WATCHED) {
            if (WATCHED.add(context)) {
                context.addSparkListener(new BadRowCancel(context));
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() instanceof ExceptionFailure failure
                && failure.className().equals(BadRowException.class.getName())) {
            context.cancelStage(end.stageId(), PREFIX + failure.description());
        }
    }
}
