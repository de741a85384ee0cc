#!/usr/bin/env python3
"""The numpy reference of all-MiniLM-L6-v2's forward pass, for scripts/bench/embed and for checking the Swift encoder.

Independent of Pipsight: token ids come from Hugging Face's `tokenizers` (tokenizer.json of the same package),
weights from `safetensors`, the forward pass is written here in float32 numpy (BERT: embeddings + LayerNorm,
6 x [12-head attention with a padding mask, GELU(erf) FFN, post-LayerNorm eps 1e-12], mean pooling over real
tokens, L2 normalisation). numpy has no erf, so GELU uses Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7).

  embed_ref.py MODEL_DIR check              prints the vector of "This is an example sentence" (first 6 values)
  embed_ref.py MODEL_DIR vectors FILE       one text per line of FILE -> JSON {tokens: [...], vectors: [...]}
  embed_ref.py MODEL_DIR bench TOKENS N     sentences/s for N texts of TOKENS tokens, single and batched (wall clock,
                                            and per second of the process's CPU time)
  embed_ref.py MODEL_DIR peak               numpy's float32 matrix-product throughput (GFLOP per CPU-second, its
                                            OpenBLAS sgemm on the model's largest layer shape, best of 30) and the
                                            floating-point operations of one forward pass per text length
"""
import json
import sys
import time

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


def erf(x):
    # Abramowitz & Stegun 7.1.26, vectorised.
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return (s * y).astype(np.float32)


class Model:
    def __init__(self, directory):
        w = load_file(f"{directory}/model.safetensors")
        self.w = {k: v.astype(np.float32) for k, v in w.items() if v.dtype == np.float32}
        self.tokenizer = Tokenizer.from_file(f"{directory}/tokenizer.json") if _exists(f"{directory}/tokenizer.json") else None
        if self.tokenizer is None:
            from tokenizers import BertWordPieceTokenizer
            self.tokenizer = BertWordPieceTokenizer(f"{directory}/vocab.txt", lowercase=True)
        self.tokenizer.enable_truncation(256)
        self.tokenizer.no_padding()

    def ids(self, texts):
        return [e.ids for e in self.tokenizer.encode_batch(texts)]

    @staticmethod
    def layer_norm(x, g, b, eps=1e-12):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + eps) * g + b

    def forward(self, batch_ids):
        w = self.w
        n = len(batch_ids)
        length = max(len(i) for i in batch_ids)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for row, i in enumerate(batch_ids):
            ids[row, : len(i)] = i
            mask[row, : len(i)] = 1
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = self.layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        additive = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in range(6):
            p = f"encoder.layer.{layer}."
            def lin(v, name):
                return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            def heads(v):
                return v.reshape(n, length, 12, 32).transpose(0, 2, 1, 3)
            q, k, v = (heads(lin(x, f"attention.self.{m}")) for m in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(32)) + additive
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, 384)
            x = self.layer_norm(lin(context, "attention.output.dense") + x,
                                w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            hidden = lin(x, "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + erf(hidden * np.float32(0.7071067811865476)))
            x = self.layer_norm(lin(hidden, "output.dense") + x,
                                w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def flops_per_text(tokens):
    """Multiply-adds x 2 of one forward pass over one text of TOKENS tokens: per layer and token the dense products
    (Q, K, V 384x1152, output 384x384, FFN 384x1536 and 1536x384), per layer the attention products (QK^T, AV)."""
    dense = 2 * (384 * 1152 + 384 * 384 + 384 * 1536 + 1536 * 384)
    return 6 * (tokens * dense + 4 * tokens * tokens * 384)


def peak_gflops():
    """numpy's best float32 sgemm rate on the largest layer shape, per second of process CPU time (all threads)."""
    rng = np.random.default_rng(1)
    a = rng.random((1024, 384), dtype=np.float32)
    b = rng.random((384, 1536), dtype=np.float32)
    a @ b
    best = 0.0
    for _ in range(30):
        cpu = time.process_time()
        a @ b
        elapsed = time.process_time() - cpu
        if elapsed > 0:
            best = max(best, 2 * 1024 * 384 * 1536 / elapsed / 1e9)
    return best


def _exists(path):
    try:
        open(path).close()
        return True
    except OSError:
        return False


def main():
    directory, command = sys.argv[1], sys.argv[2]
    model = Model(directory)
    if command == "check":
        v = model.forward(model.ids(["This is an example sentence"]))[0]
        print(" ".join(f"{x:.7f}" for x in v[:6]))
    elif command == "vectors":
        texts = open(sys.argv[3], encoding="utf-8").read().split("\n")
        if texts and texts[-1] == "":
            texts.pop()
        ids = model.ids(texts)
        vectors = [model.forward([i])[0].tolist() for i in ids]
        json.dump({"tokens": ids, "vectors": vectors}, sys.stdout)
    elif command == "peak":
        print(json.dumps({"gflops": peak_gflops(), "flopsPerText": {str(t): flops_per_text(t) for t in (32, 128)}}))
    elif command == "bench":
        tokens, count = int(sys.argv[3]), int(sys.argv[4])
        # Ids as the Swift side builds them: [CLS], TOKENS-2 word ids, [SEP].
        rng = np.random.default_rng(7)
        texts = [[101] + rng.integers(1000, 29000, tokens - 2).tolist() + [102] for _ in range(count)]
        model.forward(texts[:2])
        start, cpu = time.perf_counter(), time.process_time()
        for t in texts:
            model.forward([t])
        single = count / (time.perf_counter() - start)
        single_cpu = count / (time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        for i in range(0, count, 32):
            model.forward(texts[i : i + 32])
        batched = count / (time.perf_counter() - start)
        batched_cpu = count / (time.process_time() - cpu)
        print(json.dumps({"tokens": tokens, "single": single, "batched": batched,
                          "singleCPU": single_cpu, "batchedCPU": batched_cpu}))


if __name__ == "__main__":
    main()
