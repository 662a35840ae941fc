// attn/kernels/common.hpp — what every kernel shares: its counters and its input checks.
//
// Teaches (lessons 07-09): a fast kernel must refuse exactly what the readable
// reference refuses, so the checks are written once. Shapes: Q (n_q, d_k),
// K (n_k, d_k), V (n_k, d_v), any n_q and n_k (a causal or windowed call puts
// the queries at the last n_q positions, attn/visible.hpp), any head sizes,
// d_k ≠ d_v included. Values: finite, and small enough that float32's scores
// and output sums cannot overflow. The backward pass (lesson 14) uses the same
// shape check.
// Leaves out: the kernels themselves (naive.hpp, online.hpp, tiled.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "../shape.hpp"
#include "../tensor.hpp"
#include "pool.hpp"

namespace attn::kernels {

/// What a kernel actually did, counted as it ran.
struct counters {
    double flops = 0;  // 2 per multiply-add
    double exps = 0;
    double peak_bytes = 0;  // extra memory beyond the inputs and the output
    double tiles = 0;       // tiled kernels: Br×Bc tiles computed (skipped ones are not counted)
    // The online form's own price, not in flops: multiplies spent rescaling the unnormalised
    // output by e^(m_old - m_new). v2_online: d_v per key, always. Tiled kernels: d_v per row
    // per tile, only where the factor is not 1 (a row's first tile counts: its factor is 0).
    double rescale_mults = 0;
};

/// work(0), …, work(threads − 1), the first here and the others on the kept workers of
/// thread_pool::shared() (pool.hpp), or on threads of their own when the pool is busy; the kernels
/// that split their work (v3_tiled and v4_simd by query blocks, v5_split_kv by key splits).
template <class Work>
void run_on_threads(std::size_t threads, Work&& work) {
    if (threads <= 1) return work(std::size_t(0));
#if !defined(__wasm__)  // the page's module has no threads
    if (thread_pool::shared().run(threads, std::function<void(std::size_t)>(std::ref(work)))) return;
#endif
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(std::size_t(0));
    for (auto& th : pool) th.join();
}

namespace detail {

/// Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v), none empty: the one shape check of every kernel
/// and of the backward pass, for matrices of any number type.
template <class A>
void check_kernel_shapes(const char* where, const A& Q, const A& K, const A& V) {
    require_nonempty(where, "Q", Q);
    require_nonempty(where, "V", V);
    require_shapes(Q.shape(1) == K.shape(1), where, "Q", Q, "K", K, "Q and K need the same number of columns (d_k)");
    require_shapes(K.shape(0) == V.shape(0), where, "K", K, "V", V, "K and V need one row per key");
}

inline std::string nonfinite_text(const char* where, const char* name, std::size_t i, std::size_t c, double x) {
    return std::string(where) + ": " + name + "(" + std::to_string(i) + ", " + std::to_string(c) + ") is " +
           (std::isnan(x) ? "nan"
            : x > 0       ? "inf"
                          : "-inf") +
           "; the kernels need finite inputs";
}

/// The largest row norm of M (refusing NaN and ±inf), or with `rows` false the largest |element|.
inline double checked_max(const char* where, const char* name, const matrix& M, bool rows) {
    double worst = 0;
    for (std::size_t i = 0; i < M.shape(0); ++i) {
        double sq = 0;
        for (std::size_t c = 0; c < M.shape(1); ++c) {
            const double x = M(i, c);
            if (!std::isfinite(x)) throw value_error(nonfinite_text(where, name, i, c, x));
            if (rows)
                sq += x * x;
            else
                worst = std::max(worst, std::abs(x));
        }
        if (rows) worst = std::max(worst, std::sqrt(sq));
    }
    return worst;
}

/// The kernels' value check, O(n·d) against their O(n²·d) work. Refuses NaN and
/// ±inf, and inputs whose float32 arithmetic could overflow: a dot product q·k
/// (summed before v1 and v2 scale it) can reach max‖q‖·max‖k‖ by Cauchy–Schwarz,
/// an unnormalised output sum n_k·max|v|.
/// Past either, naive_attention would return NaN and the SIMD kernel's clamped
/// exp() zeros: two different wrong answers. A value_error says why instead.
inline void require_kernel_values(const char* where, const matrix& Q, const matrix& K, const matrix& V) {
    const double q = checked_max(where, "Q", Q, true), k = checked_max(where, "K", K, true);
    const double v = checked_max(where, "V", V, false);
    const double limit = double(std::numeric_limits<float>::max());
    char buf[160];
    if (q * k > limit) {
        std::snprintf(buf, sizeof buf, "%.3g exceeds float32's %.3g", q * k, limit);
        throw value_error(std::string(where) + ": scores could overflow float32: max‖q‖·max‖k‖ = " + buf +
                          "; scale Q or K down");
    }
    if (v * double(V.shape(0)) > limit) {
        std::snprintf(buf, sizeof buf, "%.3g · %zu keys exceeds float32's %.3g", v, V.shape(0), limit);
        throw value_error(std::string(where) + ": the output sums could overflow float32: max|v| = " + buf +
                          "; scale V down");
    }
}

/// Shapes, then values: everything a kernel's matrix entry point checks before it computes.
inline void check_kernel_inputs(const char* where, const matrix& Q, const matrix& K, const matrix& V) {
    check_kernel_shapes(where, Q, K, V);
    require_kernel_values(where, Q, K, V);
}

}  // namespace detail
}  // namespace attn::kernels
