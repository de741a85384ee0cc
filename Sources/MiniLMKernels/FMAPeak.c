// The core's float32 multiply-add peak, measured: for `pipsight bench embed`, which states how far any float32
// forward pass could go on this machine.

#include "MiniLMKernels.h"

#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f"), noinline)) static float fma_loop(long iterations, float seed) {
    // Sixteen independent chains: enough to cover the multiply-add latency on every current x86-64 core.
    __m512 a[16];
    __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    for (int i = 0; i < 16; i++) a[i] = _mm512_set1_ps(seed + (float)i);
    for (long n = 0; n < iterations; n++) {
        for (int i = 0; i < 16; i++) a[i] = _mm512_fmadd_ps(a[i], x, y);
    }
    __m512 sum = a[0];
    for (int i = 1; i < 16; i++) sum = _mm512_add_ps(sum, a[i]);
    return _mm512_reduce_add_ps(sum);
}

double minilm_fma_peak_gflops(void) {
    if (!minilm_packed_supported()) return 0;
    const long iterations = 20000000;
    double best = 0;
    volatile float sink = 0;
    for (int round = 0; round < 3; round++) {
        double start = cpu_seconds();
        sink += fma_loop(iterations, (float)round);
        double seconds = cpu_seconds() - start;
        double rate = (double)iterations * 16 * 16 * 2 / seconds / 1e9;
        if (rate > best) best = rate;
    }
    (void)sink;
    return best;
}

#else

double minilm_fma_peak_gflops(void) { return 0; }

#endif
