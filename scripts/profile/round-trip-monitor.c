// Samples, every 50 ms, the round trip of a cache line between CPU 0 and CPU 1: prints the wall clock (seconds since
// the epoch) and the median of 200 round trips in ns, one line per sample. Between samples both threads sleep, so a
// benchmark running beside it loses well under 1% of either CPU. Matching a benchmark's measured steps with the
// samples taken meanwhile says on which placement of the virtual CPUs they ran (docs/workloads.md, "Two threads").
//   gcc -O2 -pthread -o /tmp/round-trip-monitor scripts/profile/round-trip-monitor.c
//   /tmp/round-trip-monitor 300 > /tmp/round-trips.txt &   # 300 seconds
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TRIPS 200

static _Alignas(64) atomic_long ball;
static _Alignas(64) atomic_int gate;
static _Alignas(64) atomic_int ready;

static double monotonic(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double wall(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
}

// Sleeps on the gate; once opened, returns TRIPS balls and goes back to sleep.
static void *partner(void *unused) {
    (void) unused;
    pin(1);
    long trip = 1;
    int opened = 0;
    for (;;) {
        while (atomic_load(&gate) == opened) {
            syscall(SYS_futex, &gate, FUTEX_WAIT_PRIVATE, opened, NULL, NULL, 0);
        }
        opened = atomic_load(&gate);
        atomic_store(&ready, opened);
        for (int r = 0; r < TRIPS; r++, trip++) {
            while (atomic_load_explicit(&ball, memory_order_acquire) != 2 * trip - 1) {
            }
            atomic_store_explicit(&ball, 2 * trip, memory_order_release);
        }
    }
    return NULL;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 60;
    pin(0);
    pthread_t thread;
    pthread_create(&thread, NULL, partner, NULL);
    setvbuf(stdout, NULL, _IOLBF, 0);
    double end = monotonic() + seconds, times[TRIPS];
    long trip = 1;
    for (int opened = 1; monotonic() < end; opened++) {
        atomic_store(&gate, opened);
        syscall(SYS_futex, &gate, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
        while (atomic_load(&ready) != opened) {
        }
        for (int r = 0; r < TRIPS; r++, trip++) {
            double started = monotonic();
            atomic_store_explicit(&ball, 2 * trip - 1, memory_order_release);
            while (atomic_load_explicit(&ball, memory_order_acquire) != 2 * trip) {
            }
            times[r] = (monotonic() - started) * 1e9;
        }
        qsort(times, TRIPS, sizeof times[0], ascending);
        printf("%.3f %.0f\n", wall(), times[TRIPS / 2]);
        usleep(50000);
    }
    return 0;
}
