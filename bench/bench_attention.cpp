// bench/bench_attention.cpp — attention kernels over n, side by side.
//
// For now (lesson 06): v1_naive, the textbook kernel over raw arrays, at
// d = 64, non-causal and causal, n = 256 … 4096, with Google Benchmark's
// O(n²) fit. Reports GFLOP/s (4·n²·d, or the causal pair count, by the model
// in cost.hpp) and the extra bytes the kernel holds. Buffers are allocated
// once per size and reused: page faults are costly on these machines.
//   build/native/bench/bench_attention --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <cmath>
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include <attn/cost.hpp>
#include <attn/kernels/naive.hpp>

namespace {

struct buffers {
    std::vector<float> Q, K, V, O, S;
    buffers(std::size_t n, std::size_t d) : Q(n * d), K(n * d), V(n * d), O(n * d), S(n * n) {
        for (std::size_t k = 0; k < n * d; ++k) {
            Q[k] = std::sin(0.37f * float(k));
            K[k] = std::cos(0.23f * float(k));
            V[k] = std::sin(0.11f * float(k) + 1.0f);
        }
    }
};

void report(benchmark::State& state, std::size_t n, std::size_t d, bool causal, double extra_bytes) {
    const attn::attention_cost c = attn::attention_cost_model(n, n, d, d, causal);
    state.SetComplexityN(static_cast<std::int64_t>(n));
    state.counters["GFLOP/s"] = benchmark::Counter(c.flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["extra_bytes"] = extra_bytes;
}

void BM_naive(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const bool causal = state.range(1) != 0;
    const std::size_t d = 64;
    buffers b(n, d);
    for (auto _ : state) {
        attn::kernels::naive_attention(b.Q.data(), b.K.data(), b.V.data(), b.O.data(), n, n, d, d, causal, b.S.data());
        benchmark::DoNotOptimize(b.O.data());
        benchmark::ClobberMemory();
    }
    report(state, n, d, causal, double(n) * double(n) * sizeof(float));
}
BENCHMARK(BM_naive)->ArgNames({"n", "causal"})->ArgsProduct({{256, 512, 1024, 2048, 4096}, {0}})
    ->Complexity(benchmark::oNSquared)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_naive)->ArgNames({"n", "causal"})->ArgsProduct({{256, 512, 1024, 2048, 4096}, {1}})
    ->Complexity(benchmark::oNSquared)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
