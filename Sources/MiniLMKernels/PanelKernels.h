// The register-blocked AVX-512 kernels shared by the dense layers (PackedLinear.c) and attention (Attention.c):
// rows of an input by panels of 32 outputs whose weights lie input by input (`panel_stride` floats apart).
// Internal to MiniLMKernels; include only under `#if defined(__x86_64__)`.

#ifndef MINILM_PANEL_KERNELS_H
#define MINILM_PANEL_KERNELS_H

#include "MiniLMKernels.h"

#include <immintrin.h>
#include <stddef.h>

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
        const float *x, int x_stride, int inputs, const float *panel, int panel_stride, const float *bias,          \
        float *out, int out_stride, int rows, __mmask16 low, __mmask16 high, int gelu) {                            \
        __m512 c[R][2];                                                                                             \
        __m512 b0 = bias ? _mm512_maskz_loadu_ps(low, bias) : _mm512_setzero_ps();                                  \
        __m512 b1 = bias ? _mm512_maskz_loadu_ps(high, bias + 16) : _mm512_setzero_ps();                            \
        const float *xr[R];                                                                                         \
        for (int r = 0; r < R; r++) {                                                                               \
            c[r][0] = b0;                                                                                           \
            c[r][1] = b1;                                                                                           \
            xr[r] = x + (size_t)(r < rows ? r : 0) * x_stride;                                                      \
        }                                                                                                           \
        for (int i = 0; i < inputs; i++) {                                                                          \
            const float *w = panel + (size_t)i * panel_stride;                                                      \
            __m512 w0 = _mm512_loadu_ps(w), w1 = _mm512_loadu_ps(w + 16);                                           \
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

// Rows [0, rows) of `input` (`x_stride` floats apart) by the panels [first_panel, end_panel): panel p starts at
// `packed + p * panel_step` and has `panel_stride` floats per input.
__attribute__((target("avx512f"), always_inline)) static inline void panels_by_rows(
    const float *input, int x_stride, int rows, int inputs, const float *packed, size_t panel_step, int panel_stride,
    int outputs, const float *bias, float *out, int out_stride, int first_panel, int end_panel, int gelu) {
    for (int p = first_panel; p < end_panel; p++) {
        int c0 = p * MINILM_PANEL_OUTPUTS;
        int n = outputs - c0 < MINILM_PANEL_OUTPUTS ? outputs - c0 : MINILM_PANEL_OUTPUTS;
        if (n <= 0) return;
        __mmask16 low = n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
        __mmask16 high = n >= 32 ? (__mmask16)0xFFFF : (n > 16 ? (__mmask16)((1u << (n - 16)) - 1) : 0);
        const float *panel = packed + (size_t)p * panel_step;
        const float *panel_bias = bias ? bias + c0 : NULL;
        // Twelve rows at a time; the last block takes the smallest kernel that covers it.
        for (int r = 0; r < rows; r += 12) {
            int count = rows - r < 12 ? rows - r : 12;
            const float *x = input + (size_t)r * x_stride;
            float *o = out + (size_t)r * out_stride + c0;
            if (count > 8) kernel12(x, x_stride, inputs, panel, panel_stride, panel_bias, o, out_stride, count, low, high, gelu);
            else if (count > 4) kernel8(x, x_stride, inputs, panel, panel_stride, panel_bias, o, out_stride, count, low, high, gelu);
            else kernel4(x, x_stride, inputs, panel, panel_stride, panel_bias, o, out_stride, count, low, high, gelu);
        }
    }
}

#endif
