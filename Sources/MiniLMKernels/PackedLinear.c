// A dense layer over weights packed once at load. OpenBLAS's sgemm packs the weight matrix again on every call,
// which for the 32-row products of one short text costs a fifth of the forward pass; packing once and running
// a register-blocked AVX-512 kernel over the panels avoids that (see docs/rag.md, "The built-in model").

#include "MiniLMKernels.h"

#include <string.h>

size_t minilm_packed_count(int outputs, int inputs) {
    size_t panels = (size_t)(outputs + MINILM_PANEL_OUTPUTS - 1) / MINILM_PANEL_OUTPUTS;
    return panels * MINILM_PANEL_OUTPUTS * (size_t)inputs;
}

void minilm_pack(const float *weight, int outputs, int inputs, float *packed) {
    int panels = (outputs + MINILM_PANEL_OUTPUTS - 1) / MINILM_PANEL_OUTPUTS;
    for (int p = 0; p < panels; p++) {
        float *panel = packed + (size_t)p * MINILM_PANEL_OUTPUTS * inputs;
        for (int i = 0; i < inputs; i++) {
            for (int j = 0; j < MINILM_PANEL_OUTPUTS; j++) {
                int o = p * MINILM_PANEL_OUTPUTS + j;
                panel[(size_t)i * MINILM_PANEL_OUTPUTS + j] = o < outputs ? weight[(size_t)o * inputs + i] : 0.0f;
            }
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

int minilm_packed_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

// GELU with erf, x · ½ (1 + erf(x / √2)), erf as x·P(x²)/Q(x²) on [-4, 4] (Eigen's `generic_fast_erf_float`
// coefficients, within 4e-7 of erf; the same approximation as `MiniLMEncoder.erf`).
__attribute__((target("avx512f"))) static inline __m512 gelu16(__m512 v) {
    __m512 x = _mm512_mul_ps(v, _mm512_set1_ps(0.7071067811865475f));
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-4.0f)), _mm512_set1_ps(4.0f));
    __m512 x2 = _mm512_mul_ps(x, x);
    __m512 p = _mm512_set1_ps(-2.72614225801306e-10f);
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(2.77068142495902e-08f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-2.10102402082508e-06f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-5.69250639462346e-05f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-7.34990630326855e-04f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-2.95459980854025e-03f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-1.60960333262415e-02f));
    __m512 q = _mm512_set1_ps(-1.45660718464996e-05f);
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-2.13374055278905e-04f));
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-1.68282697438203e-03f));
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-7.37332916720468e-03f));
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-1.42647390514189e-02f));
    __m512 erf = _mm512_div_ps(_mm512_mul_ps(x, p), q);
    __m512 half = _mm512_mul_ps(_mm512_set1_ps(0.5f), v);
    return _mm512_fmadd_ps(half, erf, half);
}

// R rows by one 32-output panel: 2R accumulators (24 of the 32 vector registers for R = 12), two panel loads and
// R broadcasts per input. Rows past `rows` read row 0 and are not stored.
#define DEFINE_KERNEL(R)                                                                                            \
    __attribute__((target("avx512f"))) static inline void kernel##R(                                                \
        const float *x, int inputs, const float *panel, const float *bias, float *out, int out_stride, int rows,    \
        __mmask16 low, __mmask16 high, int gelu) {                                                                  \
        __m512 c[R][2];                                                                                             \
        __m512 b0 = _mm512_maskz_loadu_ps(low, bias), b1 = _mm512_maskz_loadu_ps(high, bias + 16);                  \
        const float *xr[R];                                                                                         \
        for (int r = 0; r < R; r++) {                                                                               \
            c[r][0] = b0;                                                                                           \
            c[r][1] = b1;                                                                                           \
            xr[r] = x + (size_t)(r < rows ? r : 0) * inputs;                                                        \
        }                                                                                                           \
        for (int i = 0; i < inputs; i++) {                                                                          \
            __m512 w0 = _mm512_loadu_ps(panel + (size_t)i * 32), w1 = _mm512_loadu_ps(panel + (size_t)i * 32 + 16); \
            for (int r = 0; r < R; r++) {                                                                           \
                __m512 a = _mm512_set1_ps(xr[r][i]);                                                                \
                c[r][0] = _mm512_fmadd_ps(a, w0, c[r][0]);                                                          \
                c[r][1] = _mm512_fmadd_ps(a, w1, c[r][1]);                                                          \
            }                                                                                                       \
        }                                                                                                           \
        for (int r = 0; r < R; r++) {                                                                               \
            if (gelu) {                                                                                             \
                c[r][0] = gelu16(c[r][0]);                                                                          \
                c[r][1] = gelu16(c[r][1]);                                                                          \
            }                                                                                                       \
            if (r < rows) {                                                                                         \
                _mm512_mask_storeu_ps(out + (size_t)r * out_stride, low, c[r][0]);                                  \
                _mm512_mask_storeu_ps(out + (size_t)r * out_stride + 16, high, c[r][1]);                            \
            }                                                                                                       \
        }                                                                                                           \
    }

DEFINE_KERNEL(4)
DEFINE_KERNEL(8)
DEFINE_KERNEL(12)

__attribute__((target("avx512f"))) static void minilm_packed_chunk(const float *input, int rows, int inputs,
                                                                   const float *packed, int outputs, const float *bias,
                                                                   float *out, int out_stride, int first_panel,
                                                                   int end_panel, int gelu) {
    for (int p = first_panel; p < end_panel; p++) {
        int c0 = p * MINILM_PANEL_OUTPUTS;
        int n = outputs - c0 < MINILM_PANEL_OUTPUTS ? outputs - c0 : MINILM_PANEL_OUTPUTS;
        if (n <= 0) return;
        __mmask16 low = n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
        __mmask16 high = n >= 32 ? (__mmask16)0xFFFF : (n > 16 ? (__mmask16)((1u << (n - 16)) - 1) : 0);
        const float *panel = packed + (size_t)p * MINILM_PANEL_OUTPUTS * inputs;
        // Twelve rows at a time; the last block takes the smallest kernel that covers it.
        for (int r = 0; r < rows; r += 12) {
            int count = rows - r < 12 ? rows - r : 12;
            const float *x = input + (size_t)r * inputs;
            float *o = out + (size_t)r * out_stride + c0;
            if (count > 8) kernel12(x, inputs, panel, bias + c0, o, out_stride, count, low, high, gelu);
            else if (count > 4) kernel8(x, inputs, panel, bias + c0, o, out_stride, count, low, high, gelu);
            else kernel4(x, inputs, panel, bias + c0, o, out_stride, count, low, high, gelu);
        }
    }
}

__attribute__((target("avx512f"))) void minilm_packed_linear(const float *input, int rows, int inputs,
                                                             const float *packed, int outputs, const float *bias,
                                                             float *out, int out_stride, int first_panel,
                                                             int end_panel, int gelu) {
    // Rows in chunks whose inputs stay in the core's L2 cache while every panel passes over them.
    int chunk = (int)(1048576 / ((size_t)inputs * sizeof(float))) / 12 * 12;
    if (chunk < 12) chunk = 12;
    for (int r0 = 0; r0 < rows; r0 += chunk) {
        int chunk_rows = rows - r0 < chunk ? rows - r0 : chunk;
        minilm_packed_chunk(input + (size_t)r0 * inputs, chunk_rows, inputs, packed, outputs, bias,
                            out + (size_t)r0 * out_stride, out_stride, first_panel, end_panel, gelu);
    }
}

#else

int minilm_packed_supported(void) { return 0; }

void minilm_packed_linear(const float *input, int rows, int inputs, const float *packed, int outputs,
                          const float *bias, float *out, int out_stride, int first_panel, int end_panel, int gelu) {
    (void)input; (void)rows; (void)inputs; (void)packed; (void)outputs; (void)bias; (void)out; (void)out_stride;
    (void)first_panel; (void)end_panel; (void)gelu;
}

#endif
