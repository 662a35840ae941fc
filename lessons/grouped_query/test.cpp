// Lesson 11 — multi-query and grouped-query attention.
// Runs against attn:: (native and wasm) and against lessons/10/exercise.cpp.
#include <array>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"
#include "support/oracle.hpp"
#include "support/random.hpp"

using attn::matrix;
using testing::AllClose;
using testing::random_matrix;

namespace {
/// (d_model, g·d) -> (d_model, h·d): each group's columns repeated for each of its heads.
/// GQA is exactly multi-head attention with these repeated weights ("repeat_kv").
matrix repeat_kv(const matrix& W, std::size_t heads, std::size_t kv_heads) {
    const std::size_t d = W.shape(1) / kv_heads, per = heads / kv_heads;
    matrix R = xt::zeros<float>({W.shape(0), heads * d});
    for (std::size_t h = 0; h < heads; ++h)
        for (std::size_t r = 0; r < W.shape(0); ++r)
            for (std::size_t c = 0; c < d; ++c) R(r, h * d + c) = W(r, (h / per) * d + c);
    return R;
}
}  // namespace

TEST_CASE("kv_group: consecutive runs of heads/kv_heads query heads share one K/V head", "[grouped_query][group]") {
    CHECK(impl::kv_group(0, 8, 2) == 0);
    CHECK(impl::kv_group(3, 8, 2) == 0);
    CHECK(impl::kv_group(4, 8, 2) == 1);
    CHECK(impl::kv_group(7, 8, 2) == 1);
    CHECK(impl::kv_group(5, 8, 8) == 5);  // multi-head: every head its own
    CHECK(impl::kv_group(5, 8, 1) == 0);  // multi-query: one for all
    CHECK_THROWS_AS(impl::kv_group(8, 8, 2), attn::value_error);
    CHECK_THROWS_AS(impl::kv_group(0, 8, 3), attn::value_error);  // 3 does not divide 8
    CHECK_THROWS_AS(impl::kv_group(0, 4, 8), attn::value_error);
}

TEST_CASE("pool_kv: the mean of each group's heads; identity when g = h", "[grouped_query][pool]") {
    const matrix W = random_matrix(5, 12, 3);  // 4 heads of 3
    CHECK_THAT(impl::pool_kv(W, 4, 4), AllClose(oracle::to64(W), 0, 0));
    const matrix P = impl::pool_kv(W, 4, 2);
    REQUIRE(P.shape(1) == 6);
    for (std::size_t r = 0; r < 5; ++r)
        for (std::size_t c = 0; c < 3; ++c) {
            CHECK(P(r, c) == Approx((W(r, c) + W(r, 3 + c)) / 2).margin(1e-6));
            CHECK(P(r, 3 + c) == Approx((W(r, 6 + c) + W(r, 9 + c)) / 2).margin(1e-6));
        }
    const matrix one = impl::pool_kv(W, 4, 1);
    CHECK(one(2, 1) == Approx((W(2, 1) + W(2, 4) + W(2, 7) + W(2, 10)) / 4).margin(1e-6));
    CHECK_THROWS_AS(impl::pool_kv(random_matrix(5, 10, 1), 4, 2), attn::shape_error);  // 10 columns, 4 heads
}

TEST_CASE("GQA with g = h is multi-head attention; any g is MHA with repeated K/V heads",
          "[grouped_query][gqa][oracle]") {
    const auto e = lessons::grouped_query::fixed_example();
    const attn::gqa_weights same{e.w.W_q, e.w.W_k, e.w.W_v, e.w.W_o};
    CHECK_THAT(impl::grouped_query_attention(e.X, same, 4, 4),
               AllClose(oracle::multihead(e.X, e.X, e.w, 4), 1e-5, 1e-5));
    for (auto [n, heads, kv_heads, d] :
         std::vector<std::array<std::size_t, 4>>{{1, 1, 1, 1}, {9, 4, 2, 3}, {64, 8, 1, 16}, {128, 8, 4, 16}}) {
        const matrix X = random_matrix(n, 32, 1 + n);
        const attn::gqa_weights g{random_matrix(32, heads * d, 2), random_matrix(32, kv_heads * d, 3),
                                  random_matrix(32, kv_heads * d, 4), random_matrix(heads * d, 32, 5)};
        const attn::mha_weights full{g.W_q, repeat_kv(g.W_k, heads, kv_heads), repeat_kv(g.W_v, heads, kv_heads),
                                     g.W_o};
        INFO("n " << n << ", heads " << heads << ", K/V heads " << kv_heads << ", d_head " << d);
        CHECK_THAT(impl::grouped_query_attention(X, g, heads, kv_heads),
                   AllClose(oracle::multihead(X, X, full, heads), 1e-5, 1e-4));
    }
}

TEST_CASE("pooling heads that are already equal loses nothing", "[grouped_query][pool][property]") {
    const auto e = lessons::grouped_query::fixed_example();
    attn::mha_weights w = e.w;  // make heads 0,1 and 2,3 share K and V projections
    for (std::size_t r = 0; r < 4; ++r)
        for (std::size_t c = 0; c < 4; ++c) {
            w.W_k(r, 4 + c) = w.W_k(r, c), w.W_k(r, 12 + c) = w.W_k(r, 8 + c);
            w.W_v(r, 4 + c) = w.W_v(r, c), w.W_v(r, 12 + c) = w.W_v(r, 8 + c);
        }
    const attn::gqa_weights pooled{w.W_q, impl::pool_kv(w.W_k, 4, 2), impl::pool_kv(w.W_v, 4, 2), w.W_o};
    CHECK_THAT(impl::grouped_query_attention(e.X, pooled, 4, 2),
               AllClose(oracle::multihead(e.X, e.X, w, 4), 1e-5, 1e-5));
}

TEST_CASE("the cache shrinks by h/g; wrong shapes name both operands", "[grouped_query][cost][errors]") {
    const auto m = attn::published_model("Llama 2 70B");
    const double mha = attn::kv_cache_bytes(m.layers, m.heads, m.d_head, 1, m.bytes);
    const double gqa = attn::kv_cache_bytes(m.layers, m.kv_heads, m.d_head, 1, m.bytes);
    CHECK(mha / gqa == 8);
    CHECK(gqa == 320.0 * 1024);
    const auto e = lessons::grouped_query::fixed_example();
    attn::gqa_weights bad = attn::from_multihead(e.w, 4, 2);
    bad.W_k = random_matrix(4, 4, 1);  // one head's worth, for two K/V heads
    bad.W_v = random_matrix(4, 4, 2);
    CHECK_THROWS_WITH(attn::grouped_query_attention(e.X, bad, 4, 2),
                      Catch::Contains("W_q is (4, 16) but W_k is (4, 4)"));
    CHECK_THROWS_AS(attn::grouped_query_attention(random_matrix(6, 5, 1), attn::from_multihead(e.w, 4, 2), 4, 2),
                    attn::shape_error);
}
