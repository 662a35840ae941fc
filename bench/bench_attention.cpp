// bench/bench_attention.cpp — every attention kernel over n, side by side, in one run.
//
//   naive       v1_naive: the textbook kernel, S held whole (lesson 07)
//   naive_blas  the peer a user would write: S = Q·Kᵀ and O = P·V by OpenBLAS sgemm
//   online      v2_online: one pass per query, no S (lesson 08)
//   tiled       v3_tiled: 64×64 tiles, scalar loops (lesson 09)
//   simd        v4_simd: 64×64 tiles, AVX-512/AVX2 micro-kernels (lesson 09)
//   micro       v4_simd's two micro-kernels alone (Q·Kᵀ and P·V over one query block's tiles)
//   fma_peak    the machine's single-core FMA throughput, measured in the same run
//   sparse      v4_sparse over a pattern's mask (lesson 19): BigBird, the stride in blocks, the stride
//               key by key, and the causal triangle as a mask (the plan's own cost)
//   linear      linear attention (lesson 19), reordered and, causal, as the recurrence: beside
//               tiled_simd at the same n, for the length at which it is faster (bench/crossover.mjs)
//   decode      v5_split_kv (lessons 08, 10): n_q = 1, 4, 8 queries against 4k and 32k cached keys,
//               1 and 2 threads, in GB/s of K and V read; beside v4_simd on the same shapes
//   read_bw     the memory's read bandwidth, 1 and 2 threads, measured in the same run
//   simd_width  v4_simd at d = 64 and 128, 1 and 2 threads (`./lab bench` runs it beside ONNX Runtime)
//   backward    lesson 13's tiled backward pass, GFLOP/s by its own FLOP model
// at d = 64, non-causal and causal, 1 and 2 threads where the kernel has them.
// Counters: GFLOP/s by the model in cost.hpp (4·n²·d, or the causal pair
// count), and extra_bytes, what the kernel holds beyond inputs and output.
// Buffers are made once per size and reused: page faults are costly here.
//
//   build/native/bench/bench_attention --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//   (docs/performance.md has the figures and the exact commands)
#include <cmath>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <cblas.h>

#include <attn/backward.hpp>
#include <attn/cost.hpp>
#include <attn/kernels/naive.hpp>
#include <attn/kernels/online.hpp>
#include <attn/kernels/peak.hpp>
#include <attn/kernels/simd.hpp>
#include <attn/kernels/registry.hpp>
#include <attn/kernels/tiled.hpp>
#include <attn/linear.hpp>
#include <attn/rng.hpp>
#include <attn/sparse.hpp>

extern "C" void openblas_set_num_threads(int);

namespace {

constexpr std::size_t d = 64;

/// The inputs of one size, made once (page faults are costly here): attn::wave_matrix, as every
/// kernel's timing input is.
struct buffers {
    attn::matrix Qm, Km, Vm, Om;
    float *Q, *K, *V, *O;
    explicit buffers(std::size_t n, std::size_t width = d)
        : Qm(attn::wave_matrix(n, width, 0)),
          Km(attn::wave_matrix(n, width, 1)),
          Vm(attn::wave_matrix(n, width, 2)),
          Om(xt::zeros<float>({n, width})),
          Q(Qm.data()),
          K(Km.data()),
          V(Vm.data()),
          O(Om.data()) {}
};

void report(benchmark::State& state, std::size_t n, bool causal, double extra_bytes, std::size_t width = d) {
    const attn::attention_cost c = attn::attention_cost_model(n, n, width, width, causal);
    state.SetComplexityN(static_cast<std::int64_t>(n));
    state.counters["GFLOP/s"] = benchmark::Counter(c.flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["extra_bytes"] = extra_bytes;
}

/// One of the registry's kernels (attn/kernels/registry.hpp), timed on n tokens: the same entry
/// point lesson 09's page, `attnlab compute` and the wasm benchmark use.
void run_kernel(benchmark::State& state, const char* name, std::size_t threads = 1, std::size_t width = d) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const bool causal = state.range(1) != 0;
    const attn::kernels::kernel_info& k = attn::kernels::kernel(name);
    buffers b(n, width);
    attn::kernels::scratch s;
    attn::kernels::run_options o;
    o.causal = causal, o.threads = threads;
    for (auto _ : state) {
        k.run(b.Q, b.K, b.V, b.O, n, n, width, width, o, s);
        benchmark::DoNotOptimize(b.O);
    }
    const double extra = !s.tiles.empty() ? s.tiles[0].bytes() * double(threads) : double(s.S.size()) * sizeof(float);
    report(state, n, causal, std::string(name) == "online" ? 2 * sizeof(float) : extra, width);
}

void BM_naive(benchmark::State& state) { run_kernel(state, "naive"); }

void BM_naive_blas(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const bool causal = state.range(1) != 0;
    openblas_set_num_threads(static_cast<int>(state.range(2)));
    buffers b(n);
    std::vector<float> S(n * n);
    const float scale = 1.0f / std::sqrt(float(d));
    for (auto _ : state) {
        // S = Q·Kᵀ/√d, (n, n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(n), int(n), int(d), scale, b.Q, int(d), b.K, int(d),
                    0.0f, S.data(), int(n));
        for (std::size_t i = 0; i < n; ++i) {  // row softmax (masking the future when causal)
            float* s = S.data() + i * n;
            const std::size_t seen = causal ? i + 1 : n;
            float m = s[0], l = 0;
            for (std::size_t j = 1; j < seen; ++j) m = std::max(m, s[j]);
            for (std::size_t j = 0; j < seen; ++j) l += s[j] = std::exp(s[j] - m);
            const float inv = 1.0f / l;
            for (std::size_t j = 0; j < seen; ++j) s[j] *= inv;
            for (std::size_t j = seen; j < n; ++j) s[j] = 0;
        }
        // O = P·V, (n, d): BLAS cannot skip the zeros above the diagonal
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(n), int(d), int(n), 1.0f, S.data(), int(n), b.V,
                    int(d), 0.0f, b.O, int(d));
        benchmark::DoNotOptimize(b.O);
    }
    report(state, n, causal, double(S.size()) * sizeof(float));
}

void BM_online(benchmark::State& state) { run_kernel(state, "online"); }

void BM_tiled_scalar(benchmark::State& s) { run_kernel(s, "tiled", static_cast<std::size_t>(s.range(2))); }
void BM_tiled_simd(benchmark::State& s) { run_kernel(s, "simd", static_cast<std::size_t>(s.range(2))); }
/// v4_simd at head width d = range(3) (64 or 128): `./lab bench` sets it beside ONNX Runtime at both.
void BM_simd_width(benchmark::State& s) {
    run_kernel(s, "simd", static_cast<std::size_t>(s.range(2)), static_cast<std::size_t>(s.range(3)));
}

// [backward]
/// Lesson 13's tiled backward pass (64×64 tiles, float32) on n tokens at d = 64, beside the forward:
/// GFLOP/s by attn::backward_cost_model (five n²·d products, one of them recomputing S).
void BM_backward(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const bool causal = state.range(1) != 0;
    buffers b(n);
    const attn::attention_forward_result<float> f = attn::attention_forward(b.Qm, b.Km, b.Vm, causal);
    const attn::matrix dO = attn::wave_matrix(n, d, 3);
    for (auto _ : state) {
        attn::attention_grads<float> g =
            attn::attention_backward_tiled(b.Qm, b.Km, b.Vm, f.O, f.lse, dO, 64, 64, causal);
        benchmark::DoNotOptimize(g.dQ.data());
    }
    const attn::attention_cost c = attn::backward_cost_model(n, n, d, d, causal);
    state.counters["GFLOP/s"] = benchmark::Counter(c.flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
// [backward]

// [micro]
/// v4_simd's two micro-kernels alone, over every 64×64 tile of a 1024-key sweep for one query
/// block: what the arithmetic reaches without the softmax and bookkeeping around it.
/// GFLOP/s here is the micro-kernel's own 2·Bc·Br·d per tile, so it compares with fma_peak.
/// v4_sparse through the registry over pattern range(1): 0 BigBird (1 global, a window of 3 and 2 random
/// blocks of 64, not causal), 1 the stride in blocks (8 of 64), 2 the stride key by key (l = 64),
/// 3 the causal triangle given as a mask. GFLOP/s by the pairs the pattern keeps.
void BM_sparse(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const int pattern = static_cast<int>(state.range(1));
    const attn::mask M = pattern == 0   ? attn::expand(attn::bigbird_blocks(n, 64, 3, 1, 2))
                         : pattern == 1 ? attn::expand(attn::strided_blocks(n, 64, 8))
                         : pattern == 2 ? attn::strided_mask(n, 64)
                                        : attn::causal_mask(n);
    const attn::kernels::kernel_info& k = attn::kernels::kernel("sparse");
    buffers b(n);
    attn::kernels::scratch s;
    attn::kernels::run_options o;
    o.allowed = &M;
    for (auto _ : state) {
        k.run(b.Q, b.K, b.V, b.O, n, n, d, d, o, s);
        benchmark::DoNotOptimize(b.O);
    }
    double pairs = 0;
    for (bool v : M) pairs += v;
    state.counters["GFLOP/s"] =
        benchmark::Counter(pairs * 2 * 2 * d * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["tiles"] = double(attn::plan_tiles(M).computed());
}

/// Linear attention at n, d = 64: reordered (causal 0) or the recurrence (causal 1). GFLOP/s by its own
/// model (attn::linear_cost_model), which counts far fewer FLOPs than softmax attention's at large n.
void BM_linear(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const bool causal = state.range(1) != 0;
    buffers b(n);
    for (auto _ : state) {
        b.Om = causal ? attn::causal_linear_attention(b.Qm, b.Km, b.Vm) : attn::linear_attention(b.Qm, b.Km, b.Vm);
        benchmark::DoNotOptimize(b.Om.data());
    }
    const attn::linear_cost c = attn::linear_cost_model(n, d, d, causal);
    state.counters["GFLOP/s"] = benchmark::Counter(c.flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["extra_bytes"] = c.state_floats * sizeof(float);
}

void BM_micro(benchmark::State& state) {
    using kernel = attn::kernels::tiled_kernel<attn::kernels::vector_ops>;
    using attn::kernels::tile_Bc;
    using attn::kernels::tile_Br;
    const bool pv = state.range(0) != 0;
    const std::size_t n = 1024;
    buffers b(n);
    attn::kernels::tiled_workspace w;
    w.fit(d, d);
    for (std::size_t k = 0; k < w.Qt.size(); ++k) w.Qt[k] = std::sin(0.7f * float(k));
    for (std::size_t k = 0; k < w.St.size(); ++k) w.St[k] = 1.0f / float(1 + k % 61);  // weights in (0, 1]
    const kernel K{b.Q, b.K, b.V, b.O, n, n, d, d, false};
    for (auto _ : state) {
        for (std::size_t k0 = 0; k0 < n; k0 += tile_Bc) {
            if (pv) {
                for (std::size_t r = 0; r < tile_Br; r += kernel::R)  // Oi += P·V_j
                    for (std::size_t c0 = 0; c0 < d; c0 += kernel::G) K.pv(w, b.V + k0 * d, tile_Bc, r, c0);
            } else {
                for (std::size_t c = 0; c < tile_Bc; c += kernel::R)  // Sᵀ = K_j·Qt
                    for (std::size_t g = 0; g < tile_Br; g += kernel::G) K.qk(w, b.K + k0 * d, c, g);
            }
        }
        benchmark::DoNotOptimize(w.St.data());
        benchmark::DoNotOptimize(w.Oi.data());
    }
    const double flops = 2.0 * double(tile_Bc * tile_Br * d) * double(n / tile_Bc);
    state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.SetLabel(std::string(pv ? "P·V" : "Q·Kᵀ") + ", " + std::to_string(kernel::R) + "×" +
                   std::to_string(kernel::NV) + " registers of " + attn::simd::isa);
}
// [micro]

// [fma_peak]
/// attn/kernels/peak.hpp's 12 independent FMA chains: enough to cover the FMA latency on every port.
void BM_fma_peak(benchmark::State& state) {
    const std::size_t steps = 1 << 20;
    for (auto _ : state) {
        // An opaque start each time: with a constant one GCC 12 (AVX-512) hoists the whole call out
        // of the loop, and the "peak" read a billion calls in no time.
        float start = 0;
        benchmark::DoNotOptimize(start);
        benchmark::DoNotOptimize(attn::kernels::fma_chains(steps, start));
    }
    state.counters["GFLOP/s"] =
        benchmark::Counter(attn::kernels::fma_chain_flops(steps) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.SetLabel(attn::simd::isa);
}
// [fma_peak]

// [decode]
/// Decoding: n_q queries (the last n_q positions) against n_k cached keys, causal, d = 64. The
/// work is reading K and V, so the figure is GB/s of K and V (the queries and outputs are tiny).
void decode_shape(benchmark::State& state, const char* name) {
    const auto n_q = static_cast<std::size_t>(state.range(0)), n_k = static_cast<std::size_t>(state.range(1));
    const auto threads = static_cast<std::size_t>(state.range(2));
    const attn::kernels::kernel_info& k = attn::kernels::kernel(name);
    const attn::matrix Q = attn::wave_matrix(n_q, d, 0), K = attn::wave_matrix(n_k, d, 1),
                       V = attn::wave_matrix(n_k, d, 2);
    attn::matrix O = xt::zeros<float>({n_q, d});
    attn::kernels::scratch s;
    attn::kernels::run_options o;
    o.causal = true, o.threads = threads;
    for (auto _ : state) {
        k.run(Q.data(), K.data(), V.data(), O.data(), n_q, n_k, d, d, o, s);
        benchmark::DoNotOptimize(O.data());
    }
    state.counters["GB/s"] =
        benchmark::Counter(2.0 * double(n_k) * d * sizeof(float) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
void BM_decode(benchmark::State& state) { decode_shape(state, "decode"); }
void BM_decode_simd(benchmark::State& state) { decode_shape(state, "simd"); }

/// The memory's read bandwidth: `threads` threads each reading their own 64 MiB front to back.
void BM_read_bw(benchmark::State& state) {
    const auto threads = static_cast<std::size_t>(state.range(0));
    static const std::vector<std::vector<float>> bufs(2, std::vector<float>(std::size_t(16) << 20, 1.0f));
    for (auto _ : state) {
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < threads; ++t)
            pool.emplace_back([t] { benchmark::DoNotOptimize(attn::kernels::read_all(bufs[t])); });
        benchmark::DoNotOptimize(attn::kernels::read_all(bufs[0]));
        for (auto& th : pool) th.join();
    }
    state.counters["GB/s"] = benchmark::Counter(double(threads) * double(bufs[0].size()) * sizeof(float) * 1e-9,
                                                benchmark::Counter::kIsIterationInvariantRate);
}
// [decode]

const std::vector<std::int64_t> sizes = {256, 512, 1024, 2048, 4096, 8192};

}  // namespace

BENCHMARK(BM_fma_peak)->Unit(benchmark::kMillisecond);
// Lesson 07's sweep: one O(n²) fit for non-causal and one for causal runs.
BENCHMARK(BM_naive)
    ->ArgNames({"n", "causal"})
    ->ArgsProduct({{256, 512, 1024, 2048, 4096}, {0}})
    ->Complexity(benchmark::oNSquared)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_naive)
    ->ArgNames({"n", "causal"})
    ->ArgsProduct({{256, 512, 1024, 2048, 4096}, {1}})
    ->Complexity(benchmark::oNSquared)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_naive_blas)
    ->ArgNames({"n", "causal", "threads"})
    ->ArgsProduct({sizes, {0, 1}, {1}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_online)
    ->ArgNames({"n", "causal"})
    ->ArgsProduct({{256, 512, 1024, 2048, 4096}, {0, 1}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tiled_scalar)
    ->ArgNames({"n", "causal", "threads"})
    ->ArgsProduct({{256, 1024, 4096}, {0, 1}, {1}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tiled_simd)
    ->ArgNames({"n", "causal", "threads"})
    ->ArgsProduct({sizes, {0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_simd_width)
    ->ArgNames({"n", "causal", "threads", "d"})
    ->ArgsProduct({{1024, 4096}, {0}, {1, 2}, {64, 128}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_backward)->ArgNames({"n", "causal"})->ArgsProduct({{256, 1024}, {0}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_sparse)
    ->ArgNames({"n", "pattern"})
    ->ArgsProduct({{1024, 4096}, {0, 1, 2, 3}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_linear)
    ->ArgNames({"n", "causal"})
    ->ArgsProduct({{64, 128, 256, 512, 1024, 2048, 4096}, {0, 1}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_tiled_simd)
    ->Name("BM_crossover_simd")
    ->ArgNames({"n", "causal", "threads"})
    ->ArgsProduct({{64, 128, 256, 512, 1024, 2048, 4096}, {0, 1}, {1}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_read_bw)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_decode)
    ->ArgNames({"n_q", "n_k", "threads"})
    ->ArgsProduct({{1, 4, 8}, {4096, 32768}, {1, 2}})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(BM_decode_simd)
    ->ArgNames({"n_q", "n_k", "threads"})
    ->ArgsProduct({{1, 8}, {4096, 32768}, {1, 2}})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(BM_micro)->ArgName("pv")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
// The O(n²) fit on its own family: v4_simd, non-causal, one thread.
BENCHMARK(BM_tiled_simd)
    ->Name("BM_simd_fit")
    ->ArgNames({"n", "causal", "threads"})
    ->ArgsProduct({sizes, {0}, {1}})
    ->Complexity(benchmark::oNSquared)
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
