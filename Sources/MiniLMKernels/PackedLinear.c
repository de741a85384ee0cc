// A dense layer over weights packed once at load. OpenBLAS's sgemm packs the weight matrix again on every call,
// which for the 32-row products of one short text costs a fifth of the forward pass; packing once and running
// a register-blocked AVX-512 kernel over the panels avoids that (see docs/rag.md, "The built-in model").

#include "MiniLMKernels.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/// Huge-page size on x86-64 Linux: the packed weights' storage is aligned to it.
#define HUGE_PAGE_BYTES ((size_t)2 << 20)

float *minilm_alloc_packed(size_t count) {
    size_t bytes = count * sizeof(float);
    if (bytes == 0) bytes = sizeof(float);
    size_t rounded = (bytes + HUGE_PAGE_BYTES - 1) / HUGE_PAGE_BYTES * HUGE_PAGE_BYTES;
    void *memory = NULL;
    if (posix_memalign(&memory, HUGE_PAGE_BYTES, rounded) != 0) return malloc(bytes);
#if defined(MADV_HUGEPAGE)
    // Advice only: where transparent huge pages are off or unavailable the memory stays in 4 KiB pages.
    (void)madvise(memory, rounded, MADV_HUGEPAGE);
#endif
    return memory;
}

void minilm_free_packed(float *packed) { free(packed); }

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

int minilm_packed_chunk_rows(int inputs) {
    int chunk = (int)(1048576 / ((size_t)(inputs > 0 ? inputs : 1) * sizeof(float))) / 12 * 12;
    return chunk < 12 ? 12 : chunk;
}

#if defined(__x86_64__)
#include "PanelKernels.h"

int minilm_packed_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

__attribute__((target("avx512f"))) void minilm_packed_linear(const float *input, int rows, int inputs,
                                                             const float *packed, int outputs, const float *bias,
                                                             float *out, int out_stride, int first_panel,
                                                             int end_panel, int gelu) {
    // Rows in chunks whose inputs stay in the core's L2 cache while every panel passes over them.
    int chunk = minilm_packed_chunk_rows(inputs);
    for (int r0 = 0; r0 < rows; r0 += chunk) {
        int chunk_rows = rows - r0 < chunk ? rows - r0 : chunk;
        panels_by_rows(input + (size_t)r0 * inputs, inputs, chunk_rows, inputs, packed,
                       (size_t)MINILM_PANEL_OUTPUTS * inputs, MINILM_PANEL_OUTPUTS, outputs, bias,
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
