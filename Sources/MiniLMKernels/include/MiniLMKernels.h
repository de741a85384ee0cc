#ifndef MINILM_KERNELS_H
#define MINILM_KERNELS_H

#include <stddef.h>

/// Outputs per packed panel: a dense layer's weights are packed once, at load, into panels of this many outputs.
#define MINILM_PANEL_OUTPUTS 32

/// 1 when this CPU runs the packed kernel (x86-64 with AVX-512F), else 0: the caller then uses BLAS.
int minilm_packed_supported(void);

/// Memory for `count` floats of packed weights: aligned to 2 MiB and advised to use transparent huge pages
/// (madvise), because every forward pass streams all the packed weights (42 MiB) and with 4 KiB pages that costs
/// about ten thousand TLB misses a pass. Falls back to plain malloc; NULL only when out of memory. Free it with
/// `minilm_free_packed`.
float *minilm_alloc_packed(size_t count);

/// Frees memory from `minilm_alloc_packed`.
void minilm_free_packed(float *packed);

/// The number of floats `minilm_pack` writes for a `[outputs, inputs]` weight matrix.
size_t minilm_packed_count(int outputs, int inputs);

/// Packs `weight` (`[outputs, inputs]`, row-major: PyTorch's layout) into panels of `MINILM_PANEL_OUTPUTS`
/// outputs: panel p holds, for each input i, weight[p * 32 + j][i] for j in 0..<32 contiguously, zero past the
/// last output. `packed` holds `minilm_packed_count(outputs, inputs)` floats.
void minilm_pack(const float *weight, int outputs, int inputs, float *packed);

/// Rows per chunk in `minilm_packed_linear`: as many rows of `inputs` floats as fit a 1 MiB L2 cache, a multiple
/// of 12 (the kernel's row block). A caller splitting a product into parts cuts rows at these chunks too.
int minilm_packed_chunk_rows(int inputs);

/// out[r][c] = bias[c] + sum over i of input[r][i] * weight[c][i], for every row r < rows and every output c of
/// the panels [first_panel, end_panel), then GELU (erf) when `gelu` is 1. `input` is `[rows, inputs]` row-major,
/// `out` has `out_stride` floats per row. Only call when `minilm_packed_supported()` is 1.
void minilm_packed_linear(const float *input, int rows, int inputs, const float *packed, int outputs,
                          const float *bias, float *out, int out_stride, int first_panel, int end_panel, int gelu);

/// The head size `minilm_attention_head` computes: all-MiniLM-L6-v2's (384 hidden / 12 heads).
#define MINILM_HEAD_SIZE 32

/// The floats of the `keys` scratch `minilm_attention_head` needs for `tokens` tokens.
size_t minilm_attention_keys_count(int tokens);

/// One head's self-attention over one text's `tokens` tokens: context = softmax(Q Kᵀ · scale) V, where row t of
/// Q, K and V starts at `q`, `k`, `v` + t * row_stride and holds `MINILM_HEAD_SIZE` floats. `keys` holds
/// `minilm_attention_keys_count(tokens)` floats and `scores` tokens × tokens (both scratch); row t of the result
/// goes to context + t * context_stride. Only call when `minilm_packed_supported()` is 1.
void minilm_attention_head(const float *q, const float *k, const float *v, int tokens, int row_stride, float scale,
                           float *keys, float *scores, float *context, int context_stride);

/// Softmax of each of `rows` rows of `columns` floats, in place. Only call when `minilm_packed_supported()` is 1.
void minilm_softmax_rows(float *scores, int rows, int columns);

/// LayerNorm of `rows` rows of `width` floats in place, after adding `residual` (same shape) when it is not NULL:
/// (v - mean) / sqrt(variance + epsilon) * gain + bias. Only call when `minilm_packed_supported()` is 1.
void minilm_layer_norm(float *values, const float *residual, int rows, int width, const float *gain,
                       const float *bias, float epsilon);

/// This core's float32 multiply-add rate with AVX-512 (GFLOP per second of CPU time, best of three runs of 16
/// independent FMA chains, about a second in all); 0 without AVX-512F.
double minilm_fma_peak_gflops(void);

/// A pool of worker threads for one encoder: `threads - 1` workers plus the caller of `minilm_pool_run`. Idle
/// workers spin about 2 ms for the next job, then sleep until one comes.
typedef struct minilm_pool minilm_pool;

/// One part of a job: called with the job's context, a part number in 0..<parts (once per part) and the number of
/// the thread running it (0 for the caller, 1..<threads for the workers; a thread runs one part at a time, so
/// per-thread scratch can be indexed by it). Parts are taken in order by whichever thread is free first.
typedef void (*minilm_task)(void *context, int part, int thread);

/// A pool that runs jobs on `threads` threads (the caller and `threads - 1` workers; fewer if the system refuses a
/// thread). NULL when out of memory; every function here accepts NULL and then runs on the caller alone.
minilm_pool *minilm_pool_create(int threads);

/// The threads a job runs on: the workers started plus the caller.
int minilm_pool_threads(const minilm_pool *pool);

/// Runs `task(context, part)` once for every part in 0..<parts, on the caller and the workers, and returns when all
/// have finished. A run made while another is in progress on the same pool (from another thread), or with more
/// than 65535 parts, runs every part on its caller instead.
void minilm_pool_run(minilm_pool *pool, int parts, minilm_task task, void *context);

/// Stops and joins the workers and frees the pool. No run may be in progress.
void minilm_pool_destroy(minilm_pool *pool);

#endif
