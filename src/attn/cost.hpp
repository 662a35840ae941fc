// attn/cost.hpp — lesson 07: why attention is O(n²), in FLOPs and in bytes.
//
// Teaches: for n queries and n keys of width d, attention does two matrix
// products of n²·d multiply-adds each (Q·Kᵀ and P·V), 4·n²·d FLOPs in all,
// plus n² exponentials; a causal mask needs only the n(n+1)/2 pairs on or
// below the diagonal. The textbook kernel also holds the whole n×n score
// matrix: 4·n² bytes in float32, which is what runs out first. The model
// here predicts both; the counted naive kernel measures them; tests hold the
// two to each other.
// The roofline (Williams et al. 2009) puts each step's arithmetic intensity,
// FLOPs per byte of main memory, against a machine's peak and bandwidth: the
// naive kernel's softmax and decoding sit far below the ridge, memory-bound.
// Leaves out: memory traffic between cache levels (the IO model of Dao et al.
// 2022, lesson 09) and the cost of the projections (lesson 05's count).
// Run it: `attnlab lesson 7`.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fields.hpp"
#include "shape.hpp"

namespace attn {

/// A sequence too long for the memory it would need: refused up front, with the figure.
class resource_error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// "16 GiB", "512 KiB", "96 B".
inline std::string format_bytes(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) bytes /= 1024, ++u;
    char buf[32];
    std::snprintf(buf, sizeof buf, bytes >= 100 || u == 0 ? "%.0f %s" : "%.3g %s", bytes, units[u]);
    return buf;
}

/// What one attention call costs, by the model.
struct attention_cost {
    double pairs;        // query-key pairs scored: n_q·n_k, or n(n+1)/2 causal (n_q = n_k)
    double flops;        // 2·pairs·d_k (Q·Kᵀ) + 2·pairs·d_v (P·V); a multiply-add is 2 FLOPs
    double exps;         // one exp per pair
    double score_bytes;  // the n_q×n_k float32 score matrix the textbook kernel holds
    double io_bytes;     // Q, K, V read and O written once, float32
    ATTN_FIELDS(pairs, flops, exps, score_bytes, io_bytes)
};

/// The most the lesson pages let an n² buffer hold: WebAssembly's heap tops out at 2 GiB.
inline constexpr double page_memory_limit = 512.0 * 1024 * 1024;

// [model]
/// paper: FLOPs = 2·pairs·(d_k + d_v), scores held = 4·n_q·n_k bytes; kernels: kernels::counters
inline attention_cost attention_cost_model(std::size_t n_q, std::size_t n_k, std::size_t d_k, std::size_t d_v,
                                           bool causal) {
    const double nq = double(n_q), nk = double(n_k);
    attention_cost c;
    // Causal, the queries are the last n_q of n_k positions (lesson 06): query i sees
    // min(n_k, max(0, i + 1 + n_k - n_q)) keys. Summed: a triangle, or a trapezoid when n_q < n_k.
    const double blind = nq > nk ? nq - nk : 0;  // queries before the first key see nothing
    const double seen = nq - blind;              // the others see n_k - seen + 1, ..., n_k keys
    c.pairs = causal ? seen * nk - seen * (seen - 1) / 2 : nq * nk;
    c.flops = 2 * c.pairs * double(d_k) + 2 * c.pairs * double(d_v);
    c.exps = c.pairs;
    c.score_bytes = nq * nk * 4;
    c.io_bytes = (nq * double(d_k) + nk * double(d_k) + nk * double(d_v) + nq * double(d_v)) * 4;
    return c;
}
// [model]

/// The backward pass (lesson 13), by the same model: the tiled pass recomputes S = Q·Kᵀ, then
/// dV = Pᵀ·dO, dP = dO·Vᵀ, dQ = dS·K and dK = dSᵀ·Q, five products over the pairs:
/// FLOPs = 2·pairs·(3·d_k + 2·d_v), 2.5× the forward's when d_k = d_v.
inline attention_cost backward_cost_model(std::size_t n_q, std::size_t n_k, std::size_t d_k, std::size_t d_v,
                                          bool causal) {
    attention_cost c = attention_cost_model(n_q, n_k, d_k, d_v, causal);
    c.flops = 2 * c.pairs * (3 * double(d_k) + 2 * double(d_v));
    return c;
}

/// Throws resource_error unless `bytes` fits under `limit`, naming both.
inline void require_memory(const char* what, double bytes, double limit) {
    if (bytes > limit)
        throw resource_error(std::string(what) + " would need " + format_bytes(bytes) + ", more than the " +
                             format_bytes(limit) + " allowed here");
}

/// c in t ≈ c·n²: the least-squares fit through the origin, c = Σ t·n² / Σ n⁴.
inline double fit_n_squared(const std::vector<double>& n, const std::vector<double>& t) {
    if (n.size() != t.size() || n.empty())
        throw value_error("fit_n_squared: needs as many times as sizes, and at least one of each");
    double num = 0, den = 0;
    for (std::size_t i = 0; i < n.size(); ++i) num += t[i] * n[i] * n[i], den += n[i] * n[i] * n[i] * n[i];
    return num / den;
}

/// One step of attention on the roofline (Williams et al. 2009): its FLOPs, the bytes it must move
/// to and from main memory at the least, and their ratio, the arithmetic intensity (FLOP per byte).
struct roofline_step {
    std::string name;
    double flops, bytes, intensity;
    ATTN_FIELDS(name, flops, bytes, intensity)
};

/// The steps of attention for n queries and n keys of width d (float32 storage), and one decoding
/// step against t cached keys (fp32 and fp16 caches). Counted as lesson 07 does: 2 FLOPs per
/// multiply-add, and for the softmax 4 operations per score (subtract the max, exp, add, divide).
/// The naive kernel writes S and P to memory and reads them back; the tiled kernel moves only
/// Q, K, V and O, with K and V read once per query block of Br rows: its intensity tends to about
/// Br/2 FLOP per byte in float32 whatever n is, the naive kernel's in all to about d/4.
inline std::vector<roofline_step> roofline_steps(std::size_t n, std::size_t d, std::size_t t, std::size_t Br = 64) {
    if (n == 0 || d == 0 || t == 0 || Br == 0) throw value_error("roofline_steps: n, d, t and Br must be at least 1");
    const double N = double(n), D = double(d), T = double(t), f = sizeof(float);
    const double blocks = std::ceil(N / double(Br));
    auto step = [](std::string name, double flops, double bytes) {
        return roofline_step{std::move(name), flops, bytes, flops / bytes};
    };
    return {
        step("prefill Q·Kᵀ (naive: writes S)", 2 * N * N * D, (2 * N * D + N * N) * f),
        step("prefill softmax (naive: reads S, writes P)", 4 * N * N, 2 * N * N * f),
        step("prefill P·V (naive: reads P)", 2 * N * N * D, (N * N + 2 * N * D) * f),
        step("prefill, naive in all (S, P via memory)", 4 * N * N * D + 4 * N * N, (4 * N * D + 4 * N * N) * f),
        step("prefill, tiled (S and P stay on chip)", 4 * N * N * D + 4 * N * N, (2 * N * D + 2 * N * D * blocks) * f),
        step("decode, fp32 cache (one query, t keys)", 4 * T * D + 4 * T, (2 * T * D + 2 * D) * f),
        step("decode, fp16 cache", 4 * T * D + 4 * T, (2 * T * D + 2 * D) * 2),
    };
}

/// A machine's roof: peak arithmetic (GFLOP/s) and main-memory bandwidth (GB/s). Published figures
/// (dense, no sparsity) for the data-centre GPUs the lessons compare with.
struct machine_roof {
    std::string name;
    double gflops, gbytes_per_s;
    ATTN_FIELDS(name, gflops, gbytes_per_s)
};
inline std::vector<machine_roof> published_roofs() {
    return {{"A100 SXM 80 GB, FP32", 19500, 2039},
            {"A100 SXM 80 GB, FP16 tensor cores", 312000, 2039},
            {"H100 SXM, FP32", 67000, 3350},
            {"H100 SXM, FP16 tensor cores", 989000, 3350}};
}

/// What a step at `intensity` FLOP/byte can reach on a roof: min(peak, bandwidth × intensity).
inline double attainable_gflops(const machine_roof& m, double intensity) {
    return std::min(m.gflops, m.gbytes_per_s * intensity);
}

/// A published model's shape, for the lessons' cache and cost figures. Llama 2 (Touvron et al.
/// 2023): layers, heads, context and grouped K/V heads from its Section 2 and Table 1, widths from
/// the released configurations; Mistral 7B (Jiang et al. 2023, Table 1); GPT-2 small (Radford et
/// al. 2019, Table 2, and its released configuration); GPT-3 175B (Brown et al. 2020, Table 2.1).
/// Llama and Mistral gate their MLP (SwiGLU, Shazeer 2020: three d × d_ff matrices); GPT's has two.
struct model_config {
    std::string name;
    std::size_t layers, d_model, heads, kv_heads, d_head, d_ff;  // d_ff: the MLP's hidden width
    std::size_t context, window;                                 // window 0: every layer sees the whole context
    std::size_t bytes;                                           // per cached value: 2 for float16
    std::size_t mlp_matrices;                                    // 3 for a gated MLP, 2 for GELU's
    std::size_t vocab;                                           // tokens the read-out scores
    ATTN_FIELDS(name, layers, d_model, heads, kv_heads, d_head, d_ff, context, window, bytes, mlp_matrices, vocab)
};
inline const std::vector<model_config>& published_models() {
    static const std::vector<model_config> all = {
        {"Llama 2 7B", 32, 4096, 32, 32, 128, 11008, 4096, 0, 2, 3, 32000},
        {"Llama 2 70B", 80, 8192, 64, 8, 128, 28672, 4096, 0, 2, 3, 32000},
        {"Mistral 7B", 32, 4096, 32, 8, 128, 14336, 8192, 4096, 2, 3, 32000},
        {"GPT-2 small", 12, 768, 12, 12, 64, 3072, 1024, 0, 2, 2, 50257},
        {"GPT-3 175B", 96, 12288, 96, 96, 128, 49152, 2048, 0, 2, 2, 50257},
    };
    return all;
}
/// The model called `name`, or a value_error listing them.
inline const model_config& published_model(const std::string& name) {
    std::string names;
    for (const auto& m : published_models()) {
        if (m.name == name) return m;
        names += (names.empty() ? "" : ", ") + m.name;
    }
    throw value_error("there is no model '" + name + "'; the models are " + names);
}

}  // namespace attn
