// Self-attention of one text and one head on the panel kernels. OpenBLAS ran the two small products per head
// (scores = Q Kᵀ, context = softmax(scores) V) at a fraction of the dense layers' rate; here Kᵀ is packed into
// panels (scaled by 1/√d, n·d floats, against n·n·d multiply-adds), and V's rows already are a panel: head_size
// consecutive floats per token.

#include "MiniLMKernels.h"

#include <stddef.h>

size_t minilm_attention_keys_count(int tokens) {
    return minilm_packed_count(tokens, MINILM_HEAD_SIZE);
}

#if defined(__x86_64__)
#include "PanelKernels.h"

__attribute__((target("avx512f"))) void minilm_attention_head(const float *q, const float *k, const float *v,
                                                              int tokens, int row_stride, float scale, float *keys,
                                                              float *scores, float *context, int context_stride) {
    int panels = (tokens + MINILM_PANEL_OUTPUTS - 1) / MINILM_PANEL_OUTPUTS;
    // keys: panel p, input d, lane j = scale · K[p·32 + j][d], zero past the last token.
    for (int p = 0; p < panels; p++) {
        float *panel = keys + (size_t)p * MINILM_PANEL_OUTPUTS * MINILM_HEAD_SIZE;
        for (int j = 0; j < MINILM_PANEL_OUTPUTS; j++) {
            int token = p * MINILM_PANEL_OUTPUTS + j;
            const float *key = k + (size_t)token * row_stride;
            for (int d = 0; d < MINILM_HEAD_SIZE; d++) {
                panel[(size_t)d * MINILM_PANEL_OUTPUTS + j] = token < tokens ? scale * key[d] : 0.0f;
            }
        }
    }
    // scores [tokens, tokens] = Q Kᵀ / √d.
    panels_by_rows(q, row_stride, tokens, MINILM_HEAD_SIZE, keys, (size_t)MINILM_PANEL_OUTPUTS * MINILM_HEAD_SIZE,
                   MINILM_PANEL_OUTPUTS, tokens, NULL, scores, tokens, 0, panels, 0);
    minilm_softmax_rows(scores, tokens, tokens);
    // context [tokens, head_size] = softmax(scores) V: V's rows (row_stride apart) are the one panel's inputs.
    panels_by_rows(scores, tokens, tokens, tokens, v, 0, row_stride, MINILM_HEAD_SIZE, NULL, context,
                   context_stride, 0, 1, 0);
}

#else

void minilm_attention_head(const float *q, const float *k, const float *v, int tokens, int row_stride, float scale,
                           float *keys, float *scores, float *context, int context_stride) {
    (void)q; (void)k; (void)v; (void)tokens; (void)row_stride; (void)scale; (void)keys; (void)scores; (void)context;
    (void)context_stride;
}

#endif
