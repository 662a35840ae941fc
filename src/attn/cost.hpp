// attn/cost.hpp — lesson 06: why attention is O(n²), in FLOPs and in bytes.
//
// Teaches: for n queries and n keys of width d, attention does two matrix
// products of n²·d multiply-adds each (Q·Kᵀ and P·V), 4·n²·d FLOPs in all,
// plus n² exponentials; a causal mask needs only the n(n+1)/2 pairs on or
// below the diagonal. The textbook kernel also holds the whole n×n score
// matrix: 4·n² bytes in float32, which is what runs out first. The model
// here predicts both; the counted naive kernel measures them; tests hold the
// two to each other.
// Leaves out: memory traffic between cache levels (the IO model of Dao et al.
// 2022, lesson 08) and the cost of the projections (lesson 04's count).
// Run it: `attnlab lesson 6`.
#pragma once

#include <cstddef>
#include <cstdio>
#include <stdexcept>
#include <string>
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
    // Causal, the queries are the last n_q of n_k positions (lesson 05): query i sees
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

}  // namespace attn
