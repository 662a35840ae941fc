// tests/decode.cpp — v5_split_kv (attn/kernels/decode.hpp): a few queries against a long cache, the
// keys split and the splits merged, against the float64 oracle in every build (native, sanitizers,
// wasm). In wasm there is one thread, and the splits still run and merge one after another.
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include <attn/kernels/decode.hpp>
#include <attn/kernels/registry.hpp>

#include "support/allclose.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using testing::AllClose;
namespace k = attn::kernels;

TEST_CASE("split-KV decoding equals float64 attention: every split count, causal or not", "[decode]") {
    std::uint32_t seed = 1;
    for (std::size_t n_q : {1, 3, 8})
        for (std::size_t n_k : {1, 5, 255, 256, 257, 1000, 2100})
            for (std::size_t d : {1, 7, 64, 128}) {
                const matrix Q = testing::random_matrix(n_q, d, seed++, -2, 2);
                const matrix K = testing::random_matrix(n_k, d, seed++, -2, 2);
                const matrix V = testing::random_matrix(n_k, d + 3, seed++);  // d_v ≠ d_k
                for (bool causal : {false, true}) {
                    const attn::mask M = oracle::visible(n_q, n_k, causal);
                    const attn::matrix64 want = oracle::attention(Q, K, V, &M);
                    for (std::size_t splits : {1, 2, 3, 9}) {
                        INFO("n_q " << n_q << ", n_k " << n_k << ", d " << d << ", causal " << causal << ", splits "
                                    << splits);
                        CHECK_THAT(k::v5_split_kv(Q, K, V, causal, 1, splits), AllClose(want, 2e-6, 2e-5));
                    }
                    INFO("two threads, n_q " << n_q << ", n_k " << n_k << ", d " << d << ", causal " << causal);
                    CHECK_THAT(k::v5_split_kv(Q, K, V, causal, 2), AllClose(want, 2e-6, 2e-5));
                }
            }
}

TEST_CASE("split or not, the merge is exact up to float32 rounding", "[decode][merge]") {
    // A long cache whose largest scores sit in one split: the others' states are rescaled by
    // e^(m_s − m) ≈ 0 and still change nothing the one split did not.
    const std::size_t n_k = 4096, d = 64;
    const matrix Q = testing::random_matrix(2, d, 11, -1, 1);
    matrix K = testing::random_matrix(n_k, d, 12, -1, 1);
    for (std::size_t c = 0; c < d; ++c) K(3000, c) = 8 * Q(0, c);  // one key that query 0 matches strongly
    const matrix V = testing::random_matrix(n_k, d, 13);
    const matrix one = k::v5_split_kv(Q, K, V, false, 1, 1);
    for (std::size_t splits : {2, 4, 16})
        CHECK_THAT(k::v5_split_kv(Q, K, V, false, 1, splits), AllClose(oracle::to64(one), 1e-6, 1e-5));
    const attn::mask M = oracle::visible(2, n_k, false);
    CHECK_THAT(one, AllClose(oracle::attention(Q, K, V, &M), 2e-6, 2e-5));
}

TEST_CASE("causal: the queries are the last positions; one that sees no key gets 0", "[decode][causal]") {
    // n_q > n_k: the first n_q − n_k queries sit before every key (lesson 06's bottom-right rule).
    const matrix Q = testing::random_matrix(6, 8, 21), K = testing::random_matrix(4, 8, 22),
                 V = testing::random_matrix(4, 5, 23);
    const matrix O = k::v5_split_kv(Q, K, V, true, 1, 2);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t c = 0; c < 5; ++c) CHECK(O(i, c) == 0);
    const attn::mask M = oracle::visible(6, 4, true);
    CHECK_THAT(O, AllClose(oracle::attention(Q, K, V, &M), 2e-6, 2e-5));
}

TEST_CASE("the registry runs it by name, and it refuses what every kernel refuses", "[decode][registry]") {
    const k::kernel_info& info = k::kernel("decode");
    CHECK(std::string(info.version) == "v5_split_kv");
    CHECK(&k::kernel("v5_split_kv") == &info);
    const matrix Q = testing::random_matrix(4, 16, 31), K = testing::random_matrix(600, 16, 32),
                 V = testing::random_matrix(600, 16, 33);
    k::run_options o;
    o.causal = true;
    o.threads = 2;
    const attn::mask M = oracle::visible(4, 600, true);
    CHECK_THAT(info.compute(Q, K, V, o), AllClose(oracle::attention(Q, K, V, &M), 2e-6, 2e-5));
    // The raw entry point, its buffers kept between calls.
    k::scratch s;
    matrix O = xt::zeros<float>({4, 16});
    for (int r = 0; r < 2; ++r) {
        info.run(Q.data(), K.data(), V.data(), O.data(), 4, 600, 16, 16, o, s);
        CHECK_THAT(O, AllClose(oracle::attention(Q, K, V, &M), 2e-6, 2e-5));
    }
    CHECK_THROWS_WITH(k::v5_split_kv(Q, testing::random_matrix(600, 8, 1), V),
                      Catch::Contains("v5_split_kv") && Catch::Contains("(4, 16)") && Catch::Contains("(600, 8)"));
    CHECK_THROWS_AS(k::v5_split_kv(Q, K, testing::random_matrix(599, 16, 1)), attn::shape_error);
    matrix bad = K;
    bad(7, 3) = NAN;
    CHECK_THROWS_WITH(k::v5_split_kv(Q, bad, V), Catch::Contains("K(7, 3)"));
    k::counters c;
    k::v5_split_kv(Q, K, V, false, 1, 3, &c);
    CHECK(c.flops == 2.0 * 4 * 600 * (16 + 16));
    CHECK(c.tiles == 3);  // the splits
}

#if !defined(__wasm__)  // the wasm build has no threads (the kernels run their splits one by one there)
TEST_CASE("the kept pool: calls from two threads at once, and more threads than workers, give the oracle's answer",
          "[decode][pool]") {
    // run_on_threads hands a call to the kept workers (kernels/pool.hpp), or, while they are busy
    // with another caller's call, starts threads of its own: both must give the same answer.
    const matrix Q = testing::random_matrix(4, 32, 11, -2, 2), K = testing::random_matrix(3000, 32, 12, -2, 2);
    const matrix V = testing::random_matrix(3000, 32, 13);
    const attn::mask M = oracle::visible(4, 3000, true);
    const attn::matrix64 want = oracle::attention(Q, K, V, &M);
    std::vector<matrix> a(40), b(40);
    std::thread other([&] {
        for (auto& O : a) O = k::v5_split_kv(Q, K, V, true, 2);
    });
    for (std::size_t r = 0; r < b.size(); ++r) b[r] = k::v5_split_kv(Q, K, V, true, 2 + r % 3);  // 2, 3, 4 threads
    other.join();
    for (std::size_t r = 0; r < a.size(); ++r) {
        INFO("call " << r);
        CHECK_THAT(a[r], AllClose(want, 2e-6, 2e-5));
        CHECK_THAT(b[r], AllClose(want, 2e-6, 2e-5));
    }
}
#endif
