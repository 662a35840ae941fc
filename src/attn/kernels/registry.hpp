// attn/kernels/registry.hpp — every forward kernel by name: the one place a name becomes a kernel.
//
// Teaches (lessons 07-09): the versions side by side, as llm.c's
// attention_forward(kernel_num) does: what each is called, which lesson builds
// it, the memory it holds beyond its inputs and output, the instruction set it
// runs on, and one entry point for matrices (checked) and one for raw arrays
// (for benchmarks, reusing their buffers).
//
//   reference  attn::causal_attention / masked_attention (lessons 03, 06): S, P held whole, xtensor
//   naive      v1_naive (lesson 07): S held whole, three passes
//   online     v2_online (lesson 08): one pass per query, m, ℓ and o only
//   tiled      v3_tiled (lesson 09): 64×64 tiles, plain loops
//   simd       v4_simd (lesson 09): 64×64 tiles, the machine's vector registers; with a window,
//              v4_window (lesson 12)
//   sparse     v4_sparse (lesson 19): v4_simd over any mask, computing only its non-empty tiles
//   decode     v5_split_kv (lessons 08, 10): a few queries against a long cache, the keys split
//              across threads and the splits merged (flash-decoding)
//
// Every caller goes through kernel(name): lesson 09's page, `attnlab compute`, the native
// benchmark (bench/bench_attention.cpp) and the wasm one (bench/wasm_bench.cpp).
// Run it: `attnlab compute --kernel NAME ...`; `build/native/bench/bench_attention`.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "../cost.hpp"
#include "../mask.hpp"
#include "../rng.hpp"
#include "../tensor.hpp"
#include "../window.hpp"
#include "common.hpp"
#include "decode.hpp"
#include "naive.hpp"
#include "online.hpp"
#include "simd.hpp"
#include "sparse.hpp"
#include "tiled.hpp"

namespace attn::kernels {

/// What a call asks for beyond Q, K and V.
struct run_options {
    bool causal = false;
    std::size_t window = 0;         // 0: none (kernels with `window` only)
    std::size_t threads = 1;        // kernels with `threads` only
    const mask* allowed = nullptr;  // an arbitrary mask (kernels with `masks` only)
    counters* count = nullptr;
    double limit_bytes = 8.0 * (1ull << 30);  // what an O(n²) kernel may hold
};

/// Buffers a caller keeps between raw calls, so that repeated runs allocate nothing.
struct scratch {
    std::vector<float> S;                // the naive kernel's n_q×n_k scores
    std::vector<tiled_workspace> tiles;  // one per thread
    std::vector<decode_partial> splits;  // v5_split_kv's, one per split
};

struct kernel_info {
    const char* name;     // what a user types: "simd"
    const char* version;  // what the course calls it: "v4_simd"
    const char* lesson;   // the lesson that builds it (its slug)
    const char* memory;   // what it holds beyond Q, K, V and O
    const char* isa;      // the instructions it runs on here
    bool threads;         // takes run_options::threads
    bool window;          // takes run_options::window
    bool masks;           // takes run_options::allowed
    /// Checks shapes and values, allocates O, runs.
    matrix (*compute)(const matrix& Q, const matrix& K, const matrix& V, const run_options& o);
    /// Raw row-major arrays, no checks: Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v), O (n_q, d_v).
    void (*run)(const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k,
                std::size_t d_k, std::size_t d_v, const run_options& o, scratch& s);
};

namespace detail {

/// What a call lets each query see: o.allowed (checked against (n_q, n_k)), then causal or a window.
inline mask allowed_pairs(const char* where, std::size_t n_q, std::size_t n_k, const run_options& o) {
    if (o.allowed) require_mask_shape(where, o.allowed->shape(), n_q, n_k);
    mask all = o.allowed ? *o.allowed : mask(xt::ones<bool>({n_q, n_k}));
    if (o.window)
        all = combine(all, window_mask(n_q, n_k, o.window, o.causal));
    else if (o.causal)
        all = combine(all, causal_mask(n_q, n_k));
    return all;
}

inline matrix reference_compute(const matrix& Q, const matrix& K, const matrix& V, const run_options& o) {
    check_kernel_inputs("reference", Q, K, V);  // the kernels' own checks, so every name refuses alike
    if (!o.allowed && !o.causal && !o.window) return attention(Q, K, V);
    return masked_attention(Q, K, V, allowed_pairs("reference", Q.shape(0), K.shape(0), o));
}

inline matrix wrap(const float* p, std::size_t rows, std::size_t cols) {
    matrix M = xt::zeros<real>({rows, cols});
    std::copy(p, p + rows * cols, M.data());
    return M;
}

}  // namespace detail

/// Every kernel, in the order the course builds them.
inline const std::vector<kernel_info>& registry() {
    using M = const matrix&;
    using R = const run_options&;
    static const std::vector<kernel_info> all = {
        {"reference", "attention", "scaled_dot_product", "n_q·n_k floats, several times: S, the masked S, P", "xtensor",
         false, true, true, detail::reference_compute,
         [](const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k, std::size_t d_k,
            std::size_t d_v, R o, scratch&) {
             const matrix out = detail::reference_compute(detail::wrap(Q, n_q, d_k), detail::wrap(K, n_k, d_k),
                                                          detail::wrap(V, n_k, d_v), o);
             std::copy(out.data(), out.data() + n_q * d_v, O);
         }},
        {"naive", "v1_naive", "quadratic_cost", "n_q·n_k floats: the score matrix", "scalar", false, false, false,
         [](M Q, M K, M V, R o) { return v1_naive(Q, K, V, o.causal, o.count, o.limit_bytes); },
         [](const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k, std::size_t d_k,
            std::size_t d_v, R o, scratch& s) {
             if (s.S.size() < n_q * n_k) s.S.resize(n_q * n_k);
             naive_attention(Q, K, V, O, n_q, n_k, d_k, d_v, o.causal, s.S.data(), o.count);
         }},
        {"online", "v2_online", "online_softmax", "2 floats per query: m and ℓ (o is the output row)", "scalar", false,
         false, false, [](M Q, M K, M V, R o) { return v2_online(Q, K, V, o.causal, o.count); },
         [](const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k, std::size_t d_k,
            std::size_t d_v, R o, scratch&) { online_attention(Q, K, V, O, n_q, n_k, d_k, d_v, o.causal, o.count); }},
        {"tiled", "v3_tiled", "tiled", "one 64×64 tile, m, ℓ and O_i per thread: about 48 KiB at d = 64", "scalar",
         true, true, false,
         [](M Q, M K, M V, R o) {
             return tiled<scalar_ops>("v3_tiled", Q, K, V, o.causal, o.threads, o.count, o.window);
         },
         [](const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k, std::size_t d_k,
            std::size_t d_v, R o, scratch& s) {
             tiled_forward<scalar_ops>(Q, K, V, O, n_q, n_k, d_k, d_v, o.causal, o.threads, &s.tiles, o.count,
                                       o.window);
         }},
        {"simd", "v4_simd", "tiled", "one 64×64 tile, m, ℓ and O_i per thread: about 48 KiB at d = 64", simd::isa, true,
         true, false,
         [](M Q, M K, M V, R o) {
             return o.window ? v4_window(Q, K, V, o.window, o.causal, o.threads, o.count)
                             : v4_simd(Q, K, V, o.causal, o.threads, o.count);
         },
         [](const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k, std::size_t d_k,
            std::size_t d_v, R o, scratch& s) {
             tiled_forward<vector_ops>(Q, K, V, O, n_q, n_k, d_k, d_v, o.causal, o.threads, &s.tiles, o.count,
                                       o.window);
         }},
        {"sparse", "v4_sparse", "sparse_linear", "one 64×64 tile, m, ℓ and O_i per thread, and the mask's tile plan",
         simd::isa, true, true, true,
         [](M Q, M K, M V, R o) {
             detail::check_kernel_inputs("v4_sparse", Q, K, V);  // before the mask's shape, as v4_sparse does
             return detail::sparse_forward(Q, K, V, detail::allowed_pairs("v4_sparse", Q.shape(0), K.shape(0), o),
                                           o.threads, o.count);
         },
         [](const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k, std::size_t d_k,
            std::size_t d_v, R o, scratch& s) {
             const mask all = detail::allowed_pairs("v4_sparse", n_q, n_k, o);
             const tile_plan plan = plan_tiles(all, tile_Br, tile_Bc);
             tiled_forward<vector_ops>(Q, K, V, O, n_q, n_k, d_k, d_v, false, o.threads, &s.tiles, o.count, 0, &plan);
         }},
        {"decode", "v5_split_kv", "kv_cache",
         "per split of the keys: m, ℓ and o for each query, and one 256-key chunk of scores", simd::isa, true, false,
         false, [](M Q, M K, M V, R o) { return v5_split_kv(Q, K, V, o.causal, o.threads, 0, o.count); },
         [](const float* Q, const float* K, const float* V, float* O, std::size_t n_q, std::size_t n_k, std::size_t d_k,
            std::size_t d_v, R o, scratch& s) {
             decode_forward(Q, K, V, O, n_q, n_k, d_k, d_v, o.causal, o.threads, 0, &s.splits, o.count);
         }},
    };
    return all;
}

/// The names, as a user would list them: "reference, naive, online, tiled, simd".
inline std::string kernel_names(const char* separator = ", ") {
    std::string out;
    for (const auto& k : registry()) out += (out.empty() ? "" : separator) + std::string(k.name);
    return out;
}

/// The kernel called `name` (or by its version, "v4_simd"); a value_error listing them otherwise.
inline const kernel_info& kernel(const std::string& name) {
    for (const auto& k : registry())
        if (name == k.name || name == k.version) return k;
    throw value_error("there is no kernel version '" + name + "'; the kernels are " + kernel_names());
}

/// The median wall time of `reps` calls of f, in milliseconds (one more call first, to warm up).
template <class F>
double median_ms(F&& f, std::size_t reps) {
    f();
    std::vector<double> ms;
    for (std::size_t r = 0; r < std::max<std::size_t>(reps, 1); ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

/// A kernel timed as lesson 07's and 08's pages and the wasm benchmark time it.
struct timed_run {
    double ms;      // the median of the timed calls
    double gflops;  // attention_cost_model's FLOPs over that time
    matrix O;
};

/// `name` on the smooth inputs Q, K, V = wave_matrix(n, d, phase + 0, 1, 2), made once
/// per shape and kept with the kernel's buffers (growing the wasm heap and touching fresh pages
/// costs more than the work). The first call goes through kernel_info::compute, so shapes, values
/// and o.limit_bytes are checked before anything is timed, and warms up; the median of `reps`
/// raw calls after it is the time.
inline timed_run time_kernel(const std::string& name, std::size_t n, std::size_t d, const run_options& o,
                             std::size_t reps, float phase = 0) {
    const kernel_info& k = kernel(name);
    static matrix Q, K, V;
    static float made_phase = 0;
    static scratch s;
    if (Q.shape(0) != n || Q.shape(1) != d || made_phase != phase)
        Q = wave_matrix(n, d, phase), K = wave_matrix(n, d, phase + 1), V = wave_matrix(n, d, phase + 2),
        made_phase = phase;
    timed_run r{0, 0, k.compute(Q, K, V, o)};
    r.ms = median_ms([&] { k.run(Q.data(), K.data(), V.data(), r.O.data(), n, n, d, d, o, s); }, reps);
    r.gflops = attention_cost_model(n, n, d, d, o.causal).flops / (r.ms * 1e6);
    return r;
}

}  // namespace attn::kernels
