// web/checks/checks.hpp — the lessons' self-checks: "predict, then reveal".
//
// Each question's answer is computed by the library when it is graded, never
// typed in here: if the library changed, the expected answers would change with
// it. A question is a choice (the index of an option), a number, or a short
// vector, to two decimals. Hints come one at a time. Platform-free C++, so the
// same questions are tested natively (tests/selfchecks.cpp) and graded in the
// browser by checks.mjs (bindings.cpp beside this file).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <attn/attention.hpp>
#include <attn/backward.hpp>
#include <attn/cost.hpp>
#include <attn/gqa.hpp>
#include <attn/kv_cache.hpp>
#include <attn/mask.hpp>
#include <attn/multihead.hpp>
#include <attn/online.hpp>
#include <attn/positions.hpp>
#include <attn/shape.hpp>
#include <attn/softmax.hpp>
#include <attn/tiled.hpp>
#include <attn/train.hpp>
#include <attn/window.hpp>

namespace checks {

enum class kind { choice, number, vector };

struct question {
    int lesson;
    std::string id;
    std::string prompt;
    kind type;
    std::vector<std::string> options;  // for a choice
    std::vector<std::string> hints;    // revealed one by one
    std::function<std::vector<double>()> solve;  // the answer: {index} for a choice, {x} or {x1, x2, ...}
    double tolerance;                  // for numbers: 0.005 means "to two decimals"
    std::string why;                   // shown once answered correctly
};

struct grade_result {
    bool correct;
    std::string expected;  // the answer as text
    std::string feedback;
};

inline attn::matrix mat(std::initializer_list<std::initializer_list<float>> rows) {
    attn::matrix M = xt::zeros<float>({rows.size(), rows.begin()->size()});
    std::size_t i = 0;
    for (const auto& r : rows) {
        std::size_t j = 0;
        for (float x : r) M(i, j++) = x;
        ++i;
    }
    return M;
}

inline attn::vector vec(std::initializer_list<float> xs) {
    attn::vector v = xt::zeros<float>({xs.size()});
    std::size_t i = 0;
    for (float x : xs) v(i++) = x;
    return v;
}

inline const std::vector<question>& all() {
    static const std::vector<question> qs = {
        {1, "01-top-key",
         "The query is q = (1, 2, 0). Which key gets the highest score q·k?",
         kind::choice, {"k₁ = (2, 0, 1)", "k₂ = (0, 1, 3)", "k₃ = (1, 1, 1)"},
         {"A score is a dot product: multiply matching entries and add.", "q·k₁ = 1·2 + 2·0 + 0·1 = 2. Now do k₂ and k₃."},
         [] {
             const attn::vector q = vec({1, 2, 0});
             const attn::matrix K = mat({{2, 0, 1}, {0, 1, 3}, {1, 1, 1}});
             std::size_t best = 0;
             for (std::size_t j = 1; j < 3; ++j)
                 if (attn::dot(q, xt::row(K, j)) > attn::dot(q, xt::row(K, best))) best = j;
             return std::vector<double>{double(best)};
         },
         0, "The scores are 2, 2 and 3: k₃ matches q best, although k₂ has the largest entry."},
        {2, "02-softmax",
         "What is softmax(2, 1, 0)? Give three numbers to two decimals, separated by commas.",
         kind::vector, {},
         {"Subtract the maximum first: softmax(2, 1, 0) = softmax(0, −1, −2).",
          "e⁰ = 1, e⁻¹ ≈ 0.368, e⁻² ≈ 0.135; divide each by their sum, 1.503."},
         [] {
             const attn::vector p = attn::softmax(vec({2, 1, 0}));
             return std::vector<double>(p.begin(), p.end());
         },
         0.005, "The weights are positive and sum to 1; each step of 1 in the scores is a factor e ≈ 2.72 in the weights."},
        {2, "02-scale",
         "Random queries and keys with unit-variance entries and d_k = 64: by what factor does lesson 02 divide the scores?",
         kind::number, {},
         {"The variance of a sum of d_k independent products of unit variance is d_k.", "Divide by the standard deviation."},
         [] {
             const attn::matrix one = xt::ones<float>({1, 64});
             // scaled_scores divides by √d_k: 1·1·64 becomes 64 / factor
             const double s = attn::scaled_scores(one, one)(0, 0);
             return std::vector<double>{64.0 / s};
         },
         0.005, "Dividing by √d_k = 8 brings the scores' variance back to 1, whatever d_k is (Vaswani et al. 2017, §3.2.1)."},
        {3, "03-uniform",
         "Every key scores the same for a query, and V's rows are (1), (2) and (6). What is the query's output?",
         kind::number, {},
         {"Equal scores give equal weights.", "With three keys each weight is 1/3: average the values."},
         [] {
             const attn::matrix Q = xt::zeros<float>({1, 2}), K = mat({{1, 0}, {0, 1}, {1, 1}}),
                                V = mat({{1}, {2}, {6}});
             return std::vector<double>{attn::attention(Q, K, V)(0, 0)};
         },
         0.005, "Attention with equal scores is a plain average: (1 + 2 + 6) / 3 = 3."},
        {4, "04-head-width",
         "d_model = 12 split over 3 heads: how many columns does each head's Q have?",
         kind::number, {},
         {"The heads share d_model's columns equally."},
         [] { return std::vector<double>{double(attn::head_slice(xt::zeros<float>({1, 12}), 0, 3).shape(1))}; },
         0, "Each head works in d_model / h = 4 dimensions, so all heads together cost what one wide head would."},
        {5, "05-causal-pairs",
         "A causal mask over n = 4 tokens: how many (query, key) pairs may attend?",
         kind::number, {},
         {"Query i sees keys 0..i.", "1 + 2 + 3 + 4."},
         [] {
             const attn::mask M = attn::causal_mask(4);
             double allowed = 0;
             for (bool b : M) allowed += b;
             return std::vector<double>{allowed};
         },
         0, "n(n+1)/2 = 10 of the 16 pairs: the lower triangle, diagonal included."},
        {6, "06-doubling",
         "n doubles from 1024 to 2048 (d = 64). By what factor does the naive kernel's score matrix grow?",
         kind::number, {},
         {"The score matrix is n × n."},
         [] {
             const double a = attn::attention_cost_model(1024, 1024, 64, 64, false).score_bytes;
             const double b = attn::attention_cost_model(2048, 2048, 64, 64, false).score_bytes;
             return std::vector<double>{b / a};
         },
         0, "Twice the tokens, four times the memory: that is the quadratic cost."},
        {7, "07-online-l",
         "The online softmax has seen the scores 1 and then 3. What is its running sum l, to two decimals?",
         kind::number, {},
         {"After 1: m = 1, l = e⁰ = 1.", "When 3 arrives, the old l is rescaled by e^(1−3), then e^(3−3) = 1 is added."},
         [] {
             attn::online_state s;
             attn::online_update(s, 1);
             attn::online_update(s, 3);
             return std::vector<double>{s.l};
         },
         0.005, "l = 1·e⁻² + 1 ≈ 1.14, with m = 3: the sum as if the maximum had been known from the start."},
        {8, "08-causal-tiles",
         "n = 256, blocks of 64 × 64, causal: how many tiles does the tiled kernel compute (not skip)?",
         kind::number, {},
         {"There are 4 × 4 tiles; those wholly above the diagonal are skipped.", "1 + 2 + 3 + 4."},
         [] {
             const attn::matrix X = xt::zeros<float>({256, 4});
             std::vector<attn::tile_visit> trace;
             attn::tiled_attention(X, X, X, 64, 64, true, &trace);
             double computed = 0;
             for (const auto& t : trace) computed += !t.skipped;
             return std::vector<double>{computed};
         },
         0, "10 of 16 tiles, the 4 on the diagonal masked inside: causal attention costs about half."},
        {9, "09-cache-bytes",
         "One layer, one K/V head, d_head = 64, 1000 tokens in float32 (4 bytes): how many bytes does the KV cache hold?",
         kind::number, {},
         {"The cache keeps a key and a value for every token.", "2 × 64 × 1000 × 4."},
         [] { return std::vector<double>{attn::kv_cache_bytes(1, 1, 64, 1000, 4)}; },
         0, "512,000 bytes, and it grows by 512 bytes with every token decoded."},
        {10, "10-group",
         "32 query heads share 8 K/V heads. Which K/V head does query head 13 (counting from 0) read?",
         kind::number, {},
         {"Each K/V head serves 32 / 8 = 4 consecutive query heads.", "Heads 0–3 read K/V head 0, heads 4–7 read head 1, …"},
         [] { return std::vector<double>{double(attn::kv_group(13, 32, 8))}; },
         0, "13 / 4 rounds down to 3 (Ainslie et al. 2023 group query heads in consecutive runs)."},
        {11, "11-window-pairs",
         "A causal sliding window of w = 3 over n = 5 tokens: how many (query, key) pairs are scored?",
         kind::number, {},
         {"Query i sees keys i−2..i that exist.", "1 + 2 + 3 + 3 + 3."},
         [] { return std::vector<double>{attn::window_pairs(5, 3, true)}; },
         0, "12 pairs instead of 15 causal ones: for long sequences the cost is about n·w, not n²/2."},
        {12, "12-alibi",
         "ALiBi with slope 0.5: what bias is added to the score of a key 4 positions behind the query?",
         kind::number, {},
         {"ALiBi adds −slope × distance."},
         [] { return std::vector<double>{attn::alibi_bias(5, 0.5f)(4, 0)}; },
         0, "−2: the farther back, the lower the score, with no position vectors at all (Press et al. 2022)."},
        {13, "13-softmax-grad",
         "P = softmax(s) = (0.5, 0.5) and the upstream gradient is dP = (1, 0). What is dS? Two numbers, to two decimals.",
         kind::vector, {},
         {"dS_j = P_j·(dP_j − Σ_k P_k·dP_k).", "Σ_k P_k·dP_k = 0.5."},
         [] {
             attn::matrix64 P = xt::zeros<double>({1, 2}), dP = xt::zeros<double>({1, 2});
             P(0, 0) = P(0, 1) = 0.5;
             dP(0, 0) = 1;
             const attn::matrix64 dS = attn::softmax_backward(P, dP);
             return std::vector<double>{dS(0, 0), dS(0, 1)};
         },
         0.005, "(0.25, −0.25): the gradient of a softmax always sums to zero, because the weights always sum to 1."},
        {14, "14-pattern",
         "A one-layer attention model learns to reverse a sequence of length n. Which key should query i attend to?",
         kind::choice, {"key i (the diagonal)", "key n − 1 − i (the anti-diagonal)", "key 0 (the first column)", "every key equally"},
         {"Output position i must copy the input token that ends up there.", "Reversed, position i holds the token from position n − 1 − i."},
         [] {
             // The target of the reverse task at position 0 comes from the last input position.
             const std::vector<std::size_t> x{0, 1, 2, 3, 4, 5};
             const std::vector<std::size_t> y = attn::toy_target(attn::toy_task::reverse, x);
             return std::vector<double>{y[0] == x.back() ? 1.0 : 0.0};
         },
         0, "The anti-diagonal: run the capstone's trainer on 'reverse' and watch it appear in the heatmap."},
    };
    return qs;
}

inline const question& find(const std::string& id) {
    for (const auto& q : all())
        if (q.id == id) return q;
    throw attn::value_error("there is no self-check '" + id + "'");
}

inline std::string number_text(double x, double tolerance) {
    char buf[48];
    if (tolerance > 0) std::snprintf(buf, sizeof buf, "%.2f", x);
    else std::snprintf(buf, sizeof buf, "%.10g", x);
    std::string s = buf;
    if (s == "-0.00") s = "0.00";
    return s;
}

/// Parses "0.5, 0.25" (commas or spaces) into numbers; a value_error for anything else.
inline std::vector<double> parse_numbers(const std::string& text) {
    std::vector<double> out;
    std::string token;
    std::istringstream in(text);
    std::string cleaned = text;
    for (char& c : cleaned)
        if (c == ',' || c == ';' || c == '(' || c == ')') c = ' ';
    std::istringstream words(cleaned);
    while (words >> token) {
        // a leading "−" (U+2212) as learners copy it from the page
        if (token.rfind("\xe2\x88\x92", 0) == 0) token = "-" + token.substr(3);
        char* end = nullptr;
        const double x = std::strtod(token.c_str(), &end);
        if (*end != '\0' || !std::isfinite(x)) throw attn::value_error("'" + token + "' is not a number");
        out.push_back(x);
    }
    if (out.empty()) throw attn::value_error("type an answer first");
    return out;
}

/// Grades an answer: for a choice, the option's index as text; otherwise the number(s) typed.
inline grade_result grade(const std::string& id, const std::string& answer) {
    const question& q = find(id);
    const std::vector<double> want = q.solve();
    grade_result r{false, "", ""};
    if (q.type == kind::choice) {
        const std::vector<double> got = parse_numbers(answer);
        const auto index = static_cast<std::size_t>(want[0]);
        r.expected = q.options.at(index);
        r.correct = got.size() == 1 && got[0] == want[0];
    } else {
        const std::vector<double> got = parse_numbers(answer);
        for (std::size_t k = 0; k < want.size(); ++k) r.expected += (k ? ", " : "") + number_text(want[k], q.tolerance);
        if (got.size() != want.size()) {
            r.feedback = "The answer has " + std::to_string(want.size()) + (want.size() == 1 ? " number" : " numbers") +
                         "; you gave " + std::to_string(got.size()) + ".";
            return r;
        }
        r.correct = true;
        for (std::size_t k = 0; k < want.size(); ++k)
            r.correct = r.correct && std::abs(got[k] - want[k]) <= std::max(q.tolerance, 1e-9 * std::abs(want[k]));
    }
    r.feedback = r.correct ? "Right. " + q.why : "Not quite. Try again, or take a hint.";
    return r;
}

}  // namespace checks
