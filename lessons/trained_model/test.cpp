// Lesson 17 — inside a trained model: sampling and the induction score, checked on their own, then
// on the course's trained model (model/course.weights): its held-out loss is below a bigram
// model's and is the one its README states, a head copies on repeated random strings, and the
// copies become predictable. Runs against attn:: (native and wasm) and against
// lessons/trained_model/exercise.cpp.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "lesson.hpp"
#include "support/impl.hpp"

namespace {
namespace L = lessons::trained_model;

/// softmax(z / T) in double, for the draws' expected frequencies.
std::vector<double> soft(const std::vector<float>& z, double T) {
    double top = z[0], sum = 0;
    for (float v : z) top = std::max(top, double(v));
    std::vector<double> p;
    for (float v : z) sum += p.emplace_back(std::exp((v - top) / T));
    for (auto& x : p) x /= sum;
    return p;
}

/// Every head's induction score on a repeated random string (the library's maps, the impl's score).
std::vector<double> scores(std::size_t length, std::size_t period, std::uint64_t seed) {
    attn::rng g(seed);
    const auto x = attn::repeated_string(length, period, g);
    std::vector<double> out;
    for (const auto& layer : attn::attention_maps(lessons::course_model(), x))
        for (const auto& map : layer) out.push_back(impl::induction_score(map, period));
    return out;
}
}  // namespace

TEST_CASE("sample_next: greedy at temperature 0, and draws that follow softmax(z/T) over the top k",
          "[trained_model][sample]") {
    const std::vector<float> z = {1.0f, 3.0f, -2.0f, 3.0f, 0.5f};
    CHECK(impl::sample_next(z, 0, 0, 0.999) == 1);  // the largest; on a tie, the lower index
    CHECK(impl::sample_next(z, 0, 2, 0.0) == 1);
    for (double u : {0.0, 0.3, 0.7, 0.999}) CHECK(impl::sample_next(z, 1.0, 1, u) == 1);  // top-1 is greedy
    // Walking down the ordered tokens: u below the first's share picks it, above picks the next.
    const std::vector<float> w = {2.0f, 1.0f, 0.0f};
    const std::vector<double> p = soft(w, 1.0);
    CHECK(impl::sample_next(w, 1.0, 0, p[0] - 1e-6) == 0);
    CHECK(impl::sample_next(w, 1.0, 0, p[0] + 1e-6) == 1);
    CHECK(impl::sample_next(w, 1.0, 0, p[0] + p[1] + 1e-6) == 2);
    CHECK(impl::sample_next(w, 1.0, 2, 0.99) == 1);  // token 2 is not among the top 2
    // Draws at evenly spaced u reproduce the distribution, at temperature 2 over the top 4.
    const std::size_t N = 20000;
    std::vector<double> count(z.size(), 0);
    for (std::size_t k = 0; k < N; ++k) count[impl::sample_next(z, 2.0, 4, (k + 0.5) / N)] += 1.0 / N;
    std::vector<float> top4 = z;
    top4[2] = -1e30f;  // the one token top-4 leaves out
    const std::vector<double> want = soft(top4, 2.0);
    for (std::size_t t = 0; t < z.size(); ++t) CHECK(count[t] == Approx(want[t]).margin(1e-3));
    // A high temperature flattens the distribution; a low one sharpens it.
    std::vector<double> hot(z.size(), 0), cold(z.size(), 0);
    for (std::size_t k = 0; k < N; ++k) {
        hot[impl::sample_next(z, 50.0, 0, (k + 0.5) / N)] += 1.0 / N;
        cold[impl::sample_next(z, 0.2, 0, (k + 0.5) / N)] += 1.0 / N;
    }
    CHECK(hot[2] > 0.15);
    CHECK(cold[2] < 1e-4);
    CHECK_THROWS_AS(impl::sample_next({}, 1.0, 0, 0.5), attn::value_error);
    CHECK_THROWS_AS(impl::sample_next(z, -1.0, 0, 0.5), attn::value_error);
    CHECK_THROWS_AS(impl::sample_next(z, 1.0, 0, 1.0), attn::value_error);
    CHECK_THROWS_AS(impl::sample_next({1.0f, NAN}, 1.0, 0, 0.5), attn::value_error);
}

TEST_CASE("induction_score: the mean weight on the byte after the earlier copy", "[trained_model][induction]") {
    const std::size_t n = 12, L = 4;
    attn::matrix perfect = xt::zeros<attn::real>({n, n}), uniform = xt::zeros<attn::real>({n, n});
    for (std::size_t i = 0; i < n; ++i) {
        perfect(i, i >= L ? i - L + 1 : 0) = 1;
        for (std::size_t j = 0; j <= i; ++j) uniform(i, j) = 1.0f / float(i + 1);
    }
    CHECK(impl::induction_score(perfect, L) == Approx(1));
    double want = 0;  // a causal uniform map: query i gives 1/(i + 1) to every key
    for (std::size_t i = L; i < n; ++i) want += 1.0 / double(i + 1) / double(n - L);
    CHECK(impl::induction_score(uniform, L) == Approx(want).epsilon(1e-6));
    attn::matrix same = xt::zeros<attn::real>({n, n});  // looks at the earlier copy itself: not induction
    for (std::size_t i = 0; i < n; ++i) same(i, i >= L ? i - L : 0) = 1;
    CHECK(impl::induction_score(same, L) == 0);
    CHECK_THROWS_AS(impl::induction_score(perfect, 0), attn::value_error);
    CHECK_THROWS_AS(impl::induction_score(perfect, n), attn::value_error);
    CHECK_THROWS_AS(impl::induction_score(attn::matrix(xt::zeros<attn::real>({3, 4})), 1), attn::shape_error);
}

TEST_CASE("the trained model beats a bigram model on held-out text, by the loss its README states",
          "[trained_model][model]") {
    const L::held_out h = L::measure_held_out();
    std::printf("held-out loss: the model %.4f nats per byte, a bigram model %.4f\n", h.model, h.bigram);
    CHECK(h.model < h.bigram);
    // The README's worked example states it, to three decimals.
    std::string path = ATTN_MODEL_FILE;  // <source>/model/course.weights
    path = path.substr(0, path.rfind("model/")) + "lessons/trained_model/README.md";
    const std::string readme = lessons::detail::read_whole(path.c_str(), "the lesson's README");
    const std::string stated = "this model      " + attn::format("%.3f", h.model) + " nats per byte";
    INFO("looking for \"" << stated << "\" in " << path);
    CHECK(readme.find(stated) != std::string::npos);
}

TEST_CASE("a head of the trained model copies: an induction head, and the copies become predictable",
          "[trained_model][model]") {
    // Over several random strings and periods, the best head's score, averaged.
    const std::size_t heads = lessons::course_model().config.layers * lessons::course_model().config.heads;
    std::vector<double> mean(heads, 0);
    // each string said twice, as Olsson et al. (2022) measure it
    const std::pair<std::size_t, std::size_t> probes[] = {{64, 32}, {80, 40}, {48, 24}, {32, 16}};
    for (std::uint64_t seed : {11, 12, 13})
        for (auto [length, period] : probes) {
            const auto s = scores(length, period, seed);
            for (std::size_t k = 0; k < heads; ++k) mean[k] += s[k] / (3 * 4);
        }
    const std::size_t best = std::size_t(std::max_element(mean.begin(), mean.end()) - mean.begin());
    std::printf("induction scores:");
    for (double m : mean) std::printf(" %.3f", m);
    std::printf("; best head %zu\n", best);
    CHECK(mean[best] >= 0.5);
    // The second copy is at least 1 nat per byte less surprising than the first.
    for (std::uint64_t seed : {21, 22, 23}) {
        const attn::copy_test t = attn::copy_probe(lessons::course_model(), 64, 32, seed);
        INFO("seed " << seed << ": first " << t.first << ", later " << t.later);
        CHECK(t.first - t.later >= 1.0);
        // Switched off, the induction head takes most of that away: the library's own ablation.
        const attn::head_mask off = L::heads_off({best});
        const attn::copy_test without = attn::copy_probe(lessons::course_model(), 64, 32, seed, &off);
        CHECK(without.later > t.later + 0.5);
    }
}

TEST_CASE("what the page asks for: predictions, text, maps and a head switched off", "[trained_model][page]") {
    const L::example e = L::fixed_example();
    const L::prediction p = L::predict(e.prompt, {}, 10);
    REQUIRE(p.top.size() == 10);
    for (std::size_t k = 1; k < 10; ++k) CHECK(p.top[k].p <= p.top[k - 1].p);
    // greedy text is the most likely byte each time, recomputed from the whole text
    const std::string text = L::write(e.prompt, 20, 0, 0, 1).text;
    std::string so_far = e.prompt;
    for (char c : text) {
        CHECK(L::predict(so_far, {}, 1).top[0].code == std::size_t(static_cast<unsigned char>(c)));
        so_far += c;
    }
    const L::look_result r = L::look("the cat", {});
    REQUIRE(r.maps.size() == lessons::course_model().config.layers);
    CHECK(r.tokens[3] == "␣");
    // a head switched off: its map is still drawn, the later layers' and the predictions change
    const std::vector<double> on = L::logits(e.prompt, {}), off = L::logits(e.prompt, {0});
    double moved = 0;
    for (std::size_t j = 0; j < on.size(); ++j) moved = std::max(moved, std::abs(on[j] - off[j]));
    CHECK(moved > 1e-3);
    CHECK_THROWS_WITH(L::predict("x", {99}, 5), Catch::Contains("head 99 does not exist"));
    CHECK_THROWS_WITH(L::write("", 5, 0, 0, 1), Catch::Contains("the text is empty"));
    CHECK_THROWS_WITH(L::induction(40, 30, 1, {}), Catch::Contains("must hold two periods"));
}
