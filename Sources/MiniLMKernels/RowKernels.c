// The encoder's row-wise loops (LayerNorm, softmax) in AVX-512: in Swift their float reductions stay scalar
// (strict floating-point order), which made them a fifth of a 128-token forward pass once the dense layers ran on
// the packed kernel.

#include "MiniLMKernels.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>

// e^x for x ≤ 0 (softmax's arguments after the row maximum is subtracted): range reduction by ln 2 and Cephes'
// expf polynomial, within 2 ulp of expf over the range used; below -87.3 the result is 0, as expf's underflows.
__attribute__((target("avx512f"))) static inline __m512 exp16(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(-87.3f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 r2 = _mm512_mul_ps(r, r);
    __m512 e = _mm512_add_ps(_mm512_fmadd_ps(p, r2, r), _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(e, n);
}

__attribute__((target("avx512f"))) void minilm_softmax_rows(float *scores, int rows, int columns) {
    for (int row = 0; row < rows; row++) {
        float *v = scores + (size_t)row * columns;
        __m512 largest = _mm512_set1_ps(-INFINITY);
        for (int i = 0; i < columns; i += 16) {
            __mmask16 m = columns - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (columns - i)) - 1);
            largest = _mm512_max_ps(largest, _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), m, v + i));
        }
        __m512 top = _mm512_set1_ps(_mm512_reduce_max_ps(largest));
        __m512 sum = _mm512_setzero_ps();
        for (int i = 0; i < columns; i += 16) {
            __mmask16 m = columns - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (columns - i)) - 1);
            __m512 e = exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, v + i), top));
            e = _mm512_maskz_mov_ps(m, e);
            sum = _mm512_add_ps(sum, e);
            _mm512_mask_storeu_ps(v + i, m, e);
        }
        __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
        for (int i = 0; i < columns; i += 16) {
            __mmask16 m = columns - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (columns - i)) - 1);
            _mm512_mask_storeu_ps(v + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, v + i), inverse));
        }
    }
}

__attribute__((target("avx512f"))) void minilm_layer_norm(float *values, const float *residual, int rows, int width,
                                                          const float *gain, const float *bias, float epsilon) {
    for (int row = 0; row < rows; row++) {
        float *v = values + (size_t)row * width;
        const float *add = residual ? residual + (size_t)row * width : 0;
        __m512 sum = _mm512_setzero_ps();
        for (int i = 0; i < width; i += 16) {
            __mmask16 m = width - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (width - i)) - 1);
            __m512 x = _mm512_maskz_loadu_ps(m, v + i);
            if (add) {
                x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(m, add + i));
                _mm512_mask_storeu_ps(v + i, m, x);
            }
            sum = _mm512_add_ps(sum, x);
        }
        float mean = _mm512_reduce_add_ps(sum) / (float)width;
        __m512 meanv = _mm512_set1_ps(mean);
        __m512 squares = _mm512_setzero_ps();
        for (int i = 0; i < width; i += 16) {
            __mmask16 m = width - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (width - i)) - 1);
            __m512 d = _mm512_maskz_sub_ps(m, _mm512_maskz_loadu_ps(m, v + i), meanv);
            squares = _mm512_fmadd_ps(d, d, squares);
        }
        float inverse = 1.0f / sqrtf(_mm512_reduce_add_ps(squares) / (float)width + epsilon);
        __m512 scale = _mm512_set1_ps(inverse);
        for (int i = 0; i < width; i += 16) {
            __mmask16 m = width - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (width - i)) - 1);
            __m512 d = _mm512_mul_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, v + i), meanv), scale);
            __m512 y = _mm512_fmadd_ps(d, _mm512_maskz_loadu_ps(m, gain + i), _mm512_maskz_loadu_ps(m, bias + i));
            _mm512_mask_storeu_ps(v + i, m, y);
        }
    }
}

#else

void minilm_softmax_rows(float *scores, int rows, int columns) { (void)scores; (void)rows; (void)columns; }

void minilm_layer_norm(float *values, const float *residual, int rows, int width, const float *gain,
                       const float *bias, float epsilon) {
    (void)values; (void)residual; (void)rows; (void)width; (void)gain; (void)bias; (void)epsilon;
}

#endif
