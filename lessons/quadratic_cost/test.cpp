// Lesson 07 — the quadratic cost: the FLOP and byte model and the counted naive kernel.
// Runs against attn:: (native and wasm) and against lessons/06/exercise.cpp.
#include <array>
#include <vector>

#include <catch2/catch.hpp>

#include <attn/kernels/peak.hpp>
#include <attn/kernels/registry.hpp>

#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using testing::AllClose;
using testing::random_matrix;

namespace {
matrix run(const matrix& Q, const matrix& K, const matrix& V, bool causal, attn::kernels::counters* c = nullptr) {
    std::vector<float> S(Q.shape(0) * K.shape(0));
    matrix O = xt::zeros<float>({Q.shape(0), V.shape(1)});
    impl::kernels::naive_attention(Q.data(), K.data(), V.data(), O.data(), Q.shape(0), K.shape(0), Q.shape(1),
                                   V.shape(1), causal, S.data(), c);
    return O;
}
}  // namespace

TEST_CASE("the model: 4·n²·d FLOPs, half (plus the diagonal) when causal, 4·n² bytes of scores",
          "[quadratic_cost][model]") {
    const attn::attention_cost c = impl::attention_cost_model(1024, 1024, 64, 64, false);
    CHECK(c.pairs == 1048576);
    CHECK(c.flops == 4.0 * 1024 * 1024 * 64);
    CHECK(c.exps == 1048576);
    CHECK(c.score_bytes == 4.0 * 1024 * 1024);
    CHECK(c.io_bytes == 4.0 * 4 * 1024 * 64);
    const attn::attention_cost cc = impl::attention_cost_model(1024, 1024, 64, 64, true);
    CHECK(cc.pairs == 1024.0 * 1025 / 2);
    CHECK(cc.flops == 4.0 * 64 * 1024 * 1025 / 2);
    CHECK(cc.score_bytes == c.score_bytes);  // the naive kernel still holds every score
    // cross-attention shapes and different d_k, d_v
    const attn::attention_cost x = impl::attention_cost_model(3, 5, 8, 2, false);
    CHECK(x.flops == 2.0 * 15 * 8 + 2.0 * 15 * 2);
    // causal with fewer queries than keys: the 3 queries are the last of 5 positions, seeing 3, 4, 5 keys
    CHECK(impl::attention_cost_model(3, 5, 8, 8, true).pairs == 3 + 4 + 5);
    // and with more: 5 queries, 3 keys; the first two see nothing, then 1, 2, 3 keys
    CHECK(impl::attention_cost_model(5, 3, 8, 8, true).pairs == 1 + 2 + 3);
}

TEST_CASE("the model is quadratic: doubling n multiplies FLOPs and bytes by 4", "[quadratic_cost][model]") {
    for (std::size_t n : {256u, 1024u, 4096u}) {
        const auto a = impl::attention_cost_model(n, n, 64, 64, false),
                   b = impl::attention_cost_model(2 * n, 2 * n, 64, 64, false);
        CHECK(b.flops == 4 * a.flops);
        CHECK(b.score_bytes == 4 * a.score_bytes);
        CHECK(b.io_bytes == 2 * a.io_bytes);  // while the inputs only double
    }
}

TEST_CASE("the counted naive kernel does exactly what the model says", "[quadratic_cost][counters]") {
    for (auto [n, d] : std::vector<std::array<std::size_t, 2>>{{1, 1}, {17, 8}, {128, 64}}) {
        for (bool causal : {false, true}) {
            const matrix Q = random_matrix(n, d, 1), K = random_matrix(n, d, 2), V = random_matrix(n, d, 3);
            attn::kernels::counters c;
            run(Q, K, V, causal, &c);
            const attn::attention_cost m = attn::attention_cost_model(n, n, d, d, causal);
            INFO("n " << n << ", d " << d << (causal ? ", causal" : ""));
            CHECK(c.flops == m.flops);
            CHECK(c.exps == m.exps);
            CHECK(c.peak_bytes == m.score_bytes);
        }
    }
}

TEST_CASE("the naive kernel matches float64 attention up to n = 512, d = 128", "[quadratic_cost][oracle]") {
    for (auto [n_q, n_k, d] : std::vector<std::array<std::size_t, 3>>{{1, 1, 1}, {5, 9, 3}, {512, 512, 128}}) {
        const matrix Q = random_matrix(n_q, d, 4), K = random_matrix(n_k, d, 5), V = random_matrix(n_k, d, 6);
        INFO("n_q " << n_q << ", n_k " << n_k << ", d " << d);
        CHECK_THAT(run(Q, K, V, false), AllClose(oracle::attention(Q, K, V), 1e-5, 0));
    }
    const matrix Q = random_matrix(300, 64, 7), K = random_matrix(300, 64, 8), V = random_matrix(300, 64, 9);
    const attn::mask M = attn::causal_mask(300);
    CHECK_THAT(run(Q, K, V, true), AllClose(oracle::attention(Q, K, V, &M), 1e-5, 0));
}

TEST_CASE("the naive kernel is stable with logits of ±1e4", "[quadratic_cost][stability]") {
    const matrix Q = random_matrix(16, 4, 10, -60, 60), K = random_matrix(16, 4, 11, -60, 60),
                 V = random_matrix(16, 4, 12);
    CHECK_THAT(run(Q, K, V, false), AllClose(oracle::attention(Q, K, V), 1e-5, 0));
}

TEST_CASE("a score matrix too large is refused up front, with the memory it would need", "[quadratic_cost][memory]") {
    const matrix Q = random_matrix(65536, 1, 13);
    CHECK_THROWS_MATCHES(attn::kernels::v1_naive(Q, Q, Q, false, nullptr, double(1ull << 30)), attn::resource_error,
                         Catch::Matchers::Message("the naive kernel's score matrix would need 16 GiB, more than "
                                                  "the 1 GiB allowed here"));
    CHECK(attn::format_bytes(4.0 * 1024 * 1024) == "4 MiB");
    CHECK(attn::format_bytes(1536) == "1.5 KiB");
}

TEST_CASE("fit_n_squared recovers c from t = c·n²", "[quadratic_cost][fit]") {
    const std::vector<double> n = {64, 128, 256, 512},
                              t = {64 * 64 * 3e-9, 128 * 128 * 3e-9, 256 * 256 * 3e-9, 512 * 512 * 3e-9};
    CHECK(attn::fit_n_squared(n, t) == Approx(3e-9).epsilon(1e-12));
    CHECK_THROWS_AS(attn::fit_n_squared({1, 2}, {1}), attn::value_error);
}

TEST_CASE("the timed kernel is checked before it is timed, and writes what the checked call does",
          "[quadratic_cost][timing]") {
    attn::kernels::run_options o;
    o.causal = true;
    const attn::kernels::timed_run t = attn::kernels::time_kernel("naive", 100, 16, o, 2);
    CHECK(t.ms > 0);
    CHECK(t.gflops == Approx(attn::attention_cost_model(100, 100, 16, 16, true).flops / (t.ms * 1e6)));
    const matrix Q = attn::wave_matrix(100, 16, 0), K = attn::wave_matrix(100, 16, 1),
                 V = attn::wave_matrix(100, 16, 2);
    CHECK_THAT(t.O, AllClose(attn::kernels::v1_naive(Q, K, V, true), 1e-6, 1e-6));
    o.limit_bytes = 1000;  // 100² scores are 40 KB
    CHECK_THROWS_WITH(attn::kernels::time_kernel("naive", 100, 16, o, 2), Catch::Contains("more than the"));
    CHECK_THROWS_WITH(attn::kernels::time_kernel("fast", 100, 16, o, 2), Catch::Contains("no kernel version 'fast'"));
}

TEST_CASE("the roof: one core's peak and a bandwidth, measured; the published models by name",
          "[quadratic_cost][roof]") {
    const attn::kernels::roof r = attn::kernels::measure_roof(1, 1 << 12);
    CHECK(r.gflops > 0);
    CHECK(r.gbytes_per_s > 0);
    CHECK(attn::kernels::fma_chain_flops(10) == 2.0 * attn::simd::W * attn::kernels::peak_chains * 10);
    CHECK(attn::published_model("Mistral 7B").window == 4096);
    CHECK_THROWS_WITH(attn::published_model("GPT-9"), Catch::Contains("the models are Llama 2 7B, Llama 2 70B"));
}
