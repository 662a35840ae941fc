// bench/bench_scores.cpp — lesson 01's score matrix S = Q·Kᵀ over n.
//
// Measures attn::scores (the readable reference) for n = 64 … 2048 tokens at
// d_k = 64 and fits the time to O(n²): n² dot products of length d_k. Reports
// GFLOP/s with 2·n²·d_k floating-point operations per call.
//   build/native/bench/bench_scores --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <cstdint>

#include <benchmark/benchmark.h>

#include <attn/scores.hpp>

namespace {

attn::matrix filled(std::size_t rows, std::size_t cols, std::uint32_t seed) {
    attn::matrix m = xt::zeros<float>({rows, cols});  // (rows, cols), values in [-1, 1)
    std::uint32_t s = seed;
    for (auto& x : m) {
        s = s * 1664525u + 1013904223u;  // a cheap LCG: the values do not matter, only their count
        x = static_cast<float>(s >> 8) * 0x1p-23f - 1.0f;
    }
    return m;
}

void BM_scores(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const std::size_t d_k = 64;
    const attn::matrix Q = filled(n, d_k, 1), K = filled(n, d_k, 2);  // both (n, d_k)
    for (auto _ : state) {
        attn::matrix S = attn::scores(Q, K);  // (n, n)
        benchmark::DoNotOptimize(S.data());
    }
    state.SetComplexityN(static_cast<std::int64_t>(n));
    const double flops = 2.0 * double(n) * double(n) * double(d_k);
    state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["S bytes"] = double(n * n * sizeof(float));
}
BENCHMARK(BM_scores)
    ->RangeMultiplier(2)
    ->Range(64, 2048)
    ->Complexity(benchmark::oNSquared)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
