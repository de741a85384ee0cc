// The encoder's own worker threads. One forward pass of a short text hands work to the other cores about thirty
// times (every dense layer and every attention block), each a fraction of a millisecond: waking a sleeping thread
// for each (what DispatchQueue.concurrentPerform does) left a fifth of a two-thread pass idle. These workers spin
// for a short while after each job, so the next one starts at once, and sleep on a condition variable after that.

#include "MiniLMKernels.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

/// How long an idle worker spins before it sleeps, and how long the caller spins for the last part to finish
/// before it yields the core: the gaps between the jobs of one forward pass are far shorter.
#define SPIN_NANOSECONDS 2000000L

struct minilm_pool {
    int workers;
    pthread_t *threads;
    /// Held by the caller of a run for its whole length; a second concurrent caller runs its parts itself.
    pthread_mutex_t run_lock;
    /// Guards the sleep and wake-up of idle workers.
    pthread_mutex_t sleep_lock;
    pthread_cond_t wake;
    atomic_int sleepers;
    atomic_int stopping;
    /// The current job, in one word: its number (bits 32-63, one more per job; workers start when it changes),
    /// its part count (bits 16-31) and the next part to take (bits 0-15). A part is taken by compare-and-swap on
    /// the whole word, so a worker that arrives late can never take a part of a job that has moved on.
    _Atomic unsigned long long state;
    /// The current job's function and context: written before its `state` is published, read by a thread only
    /// after it took one of its parts, and not rewritten until every taken part has finished.
    minilm_task task;
    void *context;
    atomic_int finished_parts;
};

#define JOB_OF(state) ((state) >> 32)
#define PARTS_OF(state) ((int)(((state) >> 16) & 0xFFFF))
#define NEXT_OF(state) ((int)((state) & 0xFFFF))

static long now_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

/// Takes parts of the current job until none are left.
static void work_on(minilm_pool *pool, unsigned long long job, int thread) {
    unsigned long long state = atomic_load_explicit(&pool->state, memory_order_acquire);
    for (;;) {
        if (JOB_OF(state) != job || NEXT_OF(state) >= PARTS_OF(state)) return;
        if (!atomic_compare_exchange_weak_explicit(&pool->state, &state, state + 1, memory_order_acq_rel,
                                                   memory_order_acquire)) {
            continue;
        }
        pool->task(pool->context, NEXT_OF(state), thread);
        atomic_fetch_add_explicit(&pool->finished_parts, 1, memory_order_release);
        state = atomic_load_explicit(&pool->state, memory_order_acquire);
    }
}

/// A worker's start: its pool and its thread number (1 and up; the caller of a run is 0).
typedef struct {
    minilm_pool *pool;
    int thread;
} worker_start;

static void *worker_main(void *argument) {
    worker_start start = *(worker_start *)argument;
    free(argument);
    minilm_pool *pool = start.pool;
    unsigned long long seen = JOB_OF(atomic_load_explicit(&pool->state, memory_order_acquire));
    for (;;) {
        // Spin for the next job, then sleep.
        unsigned long long current = JOB_OF(atomic_load_explicit(&pool->state, memory_order_acquire));
        if (current == seen) {
            long deadline = now_nanoseconds() + SPIN_NANOSECONDS;
            for (int spins = 0; current == seen; spins++) {
                if (atomic_load_explicit(&pool->stopping, memory_order_acquire)) return NULL;
                CPU_RELAX();
                if ((spins & 255) == 255 && now_nanoseconds() > deadline) {
                    pthread_mutex_lock(&pool->sleep_lock);
                    atomic_fetch_add(&pool->sleepers, 1);
                    while ((current = JOB_OF(atomic_load(&pool->state))) == seen && !atomic_load(&pool->stopping)) {
                        pthread_cond_wait(&pool->wake, &pool->sleep_lock);
                    }
                    atomic_fetch_sub(&pool->sleepers, 1);
                    pthread_mutex_unlock(&pool->sleep_lock);
                    deadline = now_nanoseconds() + SPIN_NANOSECONDS;
                }
                current = JOB_OF(atomic_load_explicit(&pool->state, memory_order_acquire));
            }
        }
        if (atomic_load_explicit(&pool->stopping, memory_order_acquire)) return NULL;
        seen = current;
        work_on(pool, current, start.thread);
    }
}

minilm_pool *minilm_pool_create(int threads) {
    minilm_pool *pool = calloc(1, sizeof(minilm_pool));
    if (pool == NULL) return NULL;
    pthread_mutex_init(&pool->run_lock, NULL);
    pthread_mutex_init(&pool->sleep_lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    int workers = threads > 1 ? threads - 1 : 0;
    pool->threads = workers > 0 ? calloc((size_t)workers, sizeof(pthread_t)) : NULL;
    if (workers > 0 && pool->threads == NULL) workers = 0;
    for (int i = 0; i < workers; i++) {
        worker_start *start = malloc(sizeof(worker_start));
        if (start == NULL) break;
        *start = (worker_start){pool, i + 1};
        if (pthread_create(&pool->threads[i], NULL, worker_main, start) != 0) {
            free(start);
            break;
        }
        pool->workers = i + 1;
    }
    return pool;
}

int minilm_pool_threads(const minilm_pool *pool) { return pool == NULL ? 1 : pool->workers + 1; }

void minilm_pool_destroy(minilm_pool *pool) {
    if (pool == NULL) return;
    pthread_mutex_lock(&pool->sleep_lock);
    atomic_store(&pool->stopping, 1);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->sleep_lock);
    for (int i = 0; i < pool->workers; i++) pthread_join(pool->threads[i], NULL);
    free(pool->threads);
    pthread_cond_destroy(&pool->wake);
    pthread_mutex_destroy(&pool->sleep_lock);
    pthread_mutex_destroy(&pool->run_lock);
    free(pool);
}

void minilm_pool_run(minilm_pool *pool, int parts, minilm_task task, void *context) {
    if (parts <= 0) return;
    // No workers, one part, more parts than the state word counts, or another run in progress on this pool: the
    // caller does every part itself.
    if (pool == NULL || pool->workers == 0 || parts == 1 || parts > 0xFFFF ||
        pthread_mutex_trylock(&pool->run_lock) != 0) {
        for (int part = 0; part < parts; part++) task(context, part, 0);
        return;
    }
    pool->task = task;
    pool->context = context;
    atomic_store_explicit(&pool->finished_parts, 0, memory_order_relaxed);
    // Publish the job (ordering the stores above before it), then wake sleepers if there are any.
    unsigned long long job = JOB_OF(atomic_load(&pool->state)) + 1;
    atomic_store_explicit(&pool->state, (job << 32) | ((unsigned long long)parts << 16), memory_order_seq_cst);
    if (atomic_load(&pool->sleepers) > 0) {
        pthread_mutex_lock(&pool->sleep_lock);
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->sleep_lock);
    }
    work_on(pool, job, 0);
    long deadline = 0;
    for (int spins = 0; atomic_load_explicit(&pool->finished_parts, memory_order_acquire) < parts; spins++) {
        CPU_RELAX();
        if ((spins & 255) == 255) {
            long now = now_nanoseconds();
            if (deadline == 0) deadline = now + SPIN_NANOSECONDS;
            else if (now > deadline) sched_yield();
        }
    }
    pthread_mutex_unlock(&pool->run_lock);
}
