// Lesson 18 — reading attention maps: attention rollout and Spearman's ρ against hand-worked
// examples, then what the lesson claims, measured on the course's model and on two small models.
// Runs against attn:: (native and wasm) and against lessons/reading_maps/exercise.cpp.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/allclose.hpp"
#include "support/impl.hpp"

using attn::matrix;
using testing::AllClose;

namespace {
namespace L = lessons::reading_maps;
}  // namespace

TEST_CASE("attention rollout: the identity mixed in, rows renormalised, layers multiplied in order",
          "[reading_maps][rollout]") {
    const matrix I3 = xt::eye<attn::real>(3);
    // A layer that attends to itself alone leaves rollout the identity.
    CHECK_THAT(impl::attention_rollout({I3, I3}), AllClose(I3, 1e-7, 0));
    // One layer: ½A + ½I, whose rows already sum to 1.
    const matrix A = {{1, 0, 0}, {0.5f, 0.5f, 0}, {0.2f, 0.3f, 0.5f}};
    CHECK_THAT(impl::attention_rollout({A}), AllClose(matrix(0.5f * A + 0.5f * I3), 1e-7, 0));
    // Two layers of "look at the previous token": each step keeps half and passes half back.
    const matrix prev = {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}};
    const matrix twice = {{1, 0, 0}, {0.75f, 0.25f, 0}, {0.25f, 0.5f, 0.25f}};  // ½(A + I), squared by hand
    CHECK_THAT(impl::attention_rollout({prev, prev}), AllClose(twice, 1e-7, 0));
    // The order matters: the first layer is applied first (R = Â₂·Â₁).
    const matrix B = {{1, 0, 0}, {1, 0, 0}, {1, 0, 0}};
    const matrix hatA = 0.5f * A + 0.5f * I3, hatB = 0.5f * B + 0.5f * I3;
    matrix BA = xt::zeros<attn::real>({3, 3});
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t k = 0; k < 3; ++k)
            for (std::size_t j = 0; j < 3; ++j) BA(i, j) += hatB(i, k) * hatA(k, j);
    CHECK_THAT(impl::attention_rollout({A, B}), AllClose(BA, 1e-6, 0));
    // Rows of a map that do not sum to 1 are renormalised after the identity is mixed in.
    const matrix loose = {{2, 0}, {1, 1}};
    const matrix got = impl::attention_rollout({loose});
    CHECK(got(0, 0) == Approx(1));
    CHECK(got(1, 0) == Approx(0.5 / 1.5));  // ½·(1, 1) + ½·(0, 1) = (0.5, 1), over its sum 1.5
    CHECK(got(1, 1) == Approx(1.0 / 1.5));
    // Every row of a rollout of softmax maps sums to 1.
    const auto r = L::rollout("rollout rows");
    for (std::size_t i = 0; i < r.rollout.shape(0); ++i)
        CHECK(double(xt::sum(xt::row(impl::attention_rollout(r.layers), i))()) == Approx(1).epsilon(1e-5));
    CHECK_THROWS_AS(impl::attention_rollout({}), attn::value_error);
    CHECK_THROWS_AS(impl::attention_rollout({I3, matrix(xt::eye<attn::real>(2))}), attn::shape_error);
}

TEST_CASE("Spearman's ρ: the correlation of the ranks, ties sharing their mean rank", "[reading_maps][spearman]") {
    CHECK(impl::spearman({1, 2, 3, 4}, {10, 20, 30, 40}) == Approx(1));
    CHECK(impl::spearman({1, 2, 3, 4}, {40, 30, 20, 10}) == Approx(-1));
    CHECK(impl::spearman({1, 2, 3, 4}, {1, 4, 9, 16}) == Approx(1));  // any increasing function: the order is all
    CHECK(impl::spearman({1, 2, 3}, {1, 3, 2}) == Approx(0.5));       // 1 − 6·Σd²/(n(n² − 1)) = 1 − 6·2/24
    // ties: ranks (0, 1.5, 1.5, 3) against (0, 1, 2, 3)
    const double r = impl::spearman({1, 2, 2, 3}, {1, 2, 3, 4});
    const double ra[] = {0, 1.5, 1.5, 3}, rb[] = {0, 1, 2, 3};
    double num = 0, da = 0, db = 0;
    for (int k = 0; k < 4; ++k)
        num += (ra[k] - 1.5) * (rb[k] - 1.5), da += (ra[k] - 1.5) * (ra[k] - 1.5), db += (rb[k] - 1.5) * (rb[k] - 1.5);
    CHECK(r == Approx(num / std::sqrt(da * db)));
    CHECK(impl::spearman({5, 5, 5}, {1, 2, 3}) == 0);
    CHECK_THROWS_AS(impl::spearman({1, 2}, {1, 2, 3}), attn::value_error);
    CHECK_THROWS_AS(impl::spearman({1}, {1}), attn::value_error);
}

TEST_CASE("on the course's model: the heads that look like copying are not the ones the copy needs most",
          "[reading_maps][model]") {
    const L::example e = L::fixed_example();
    const L::head_table t = L::heads(e.period, e.seed);
    REQUIRE(t.heads.size() == 8);
    REQUIRE(t.copying.size() == 8);
    REQUIRE(t.copy_cost.size() == 8);
    CHECK(t.first - t.second >= 1.0);  // it copies
    std::size_t costliest = 0, copier = 0;
    for (std::size_t k = 1; k < 8; ++k) {
        if (t.copy_cost[k] > t.copy_cost[costliest]) costliest = k;
        if (t.copying[k] > t.copying[copier]) copier = k;
    }
    CHECK(t.copying[copier] >= 0.5);     // a head whose map is the copy: an induction head (lesson 17)
    CHECK(costliest != copier);          // but removing another costs the copy more
    CHECK(t.copying[costliest] < 0.01);  // one whose map shows no copying at all
    CHECK(t.heads[costliest].previous >= 3 * t.heads[copier].previous);  // it looks at the previous byte more
    CHECK(t.copy_cost[costliest] > t.first - t.second);  // without it the copy is worse than no copy at all
    CHECK(t.copying_vs_cost < 0);  // ordered by how much they look like copying, the heads come out reversed
    for (const auto& h : t.heads) {
        CHECK(h.first < 0.25);  // no head parks most of its weight on the first byte: no attention sink
        CHECK(h.peak > 0);
        CHECK(h.peak <= 1 + 1e-6);
    }
    CHECK_THROWS_AS(L::heads(2, 1), attn::value_error);
}

TEST_CASE("one prediction's bytes by attention, rollout and occlusion", "[reading_maps][attribution]") {
    const attn::attribution a = L::attribute(L::fixed_example().attribution_text);
    const std::size_t n = a.text.size();
    REQUIRE(a.attention.size() == n);
    REQUIRE(a.occlusion.size() == n);
    double sum_a = 0, sum_r = 0;
    for (std::size_t j = 0; j < n; ++j) sum_a += a.attention[j], sum_r += a.rollout[j];
    CHECK(sum_a == Approx(1).epsilon(1e-4));
    CHECK(sum_r == Approx(1).epsilon(1e-4));
    CHECK(char(a.predicted) == 'e');  // "the softmax of the scor" → 'e'
    CHECK(a.probability > 0.5);
    // The last layer's attention does not rank the bytes as occlusion does; rollout comes closer.
    CHECK(a.attention_vs_occlusion < 0.3);
    CHECK(a.rollout_vs_occlusion > a.attention_vs_occlusion);
    CHECK_THROWS_WITH(L::attribute("x"), Catch::Contains("at least 2 bytes"));
}

TEST_CASE("one task, two models: neither map says how its model copies", "[reading_maps][two_ways][walkthrough]") {
    const attn::two_ways_result w = L::two(400, L::fixed_example().seed);
    CHECK(w.attention_only.accuracy >= 0.9);
    CHECK(w.with_residual.accuracy >= 0.9);
    // Lesson 15's model needs its attention: without it, chance...
    CHECK(w.attention_only.accuracy_without_attention <= 0.3);
    // ...yet its map points mostly at positions holding other symbols, and redrawing every other
    // symbol changes nothing: where it looks is a code for its own symbol, not a source.
    CHECK(L::same_symbol(w.attention_only.map, w.probe) < 0.5);
    CHECK(w.attention_only.accuracy_others_replaced >= 0.9);
    CHECK(w.attention_only.fixed_position >= 0.8);  // each symbol's queries look at one position: a code
    // The block copies through its residual stream: it copies as well with its attention off.
    CHECK(w.with_residual.accuracy_without_attention >= 0.9);
    CHECK(w.with_residual.accuracy_others_replaced >= 0.9);
}

TEST_CASE("where the needle sits: this model recalls best from the start of its window",
          "[reading_maps][needle][walkthrough]") {
    const L::example e = L::fixed_example();
    const auto points = L::needle(e.trials, e.seed);
    REQUIRE(points.size() == 15);  // depths 0, 8, …, 112
    double best = 0;
    for (const auto& p : points) {
        CHECK(p.probability >= 0);
        CHECK(p.probability <= 1);
        best = std::max(best, p.probability);
    }
    CHECK(points.front().probability == best);
    CHECK(points.back().probability < best / 2);
    CHECK_THROWS_AS(L::needle(0, 1), attn::value_error);
}
