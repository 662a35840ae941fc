// lessons/positions/lesson.hpp — lesson 13's C++ API: one token's content, repeated, so only position varies.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <attn/attention.hpp>
#include <attn/fields.hpp>
#include <attn/positions.hpp>
#include <attn/rng.hpp>
#include <attn/softmax.hpp>

#include "question.hpp"

namespace lessons::positions {

/// A content vector of d = 16 entries N(0, 1): every token of the position-only examples.
inline attn::vector content(std::size_t d = 16) {
    attn::rng g(12);
    return xt::row(attn::normal_matrix(1, d, g), 0);
}

/// Three words with seeded embeddings (d = 16), for "dog bites man" against "man bites dog".
inline attn::matrix words(const std::vector<std::string>& sentence) {
    attn::matrix X = xt::zeros<attn::real>({sentence.size(), std::size_t(16)});
    for (std::size_t i = 0; i < sentence.size(); ++i) {
        attn::rng g(sentence[i] == "dog" ? 1 : sentence[i] == "bites" ? 2 : 3);
        xt::row(X, i) = xt::row(attn::normal_matrix(1, 16, g), 0);
    }
    return X;
}

inline void check_slope(attn::real slope) { attn::require_in("the ALiBi slope", slope, 0, 8); }

/// Position-only scores of n identical tokens under an encoding, and their softmax.
struct scored {
    attn::matrix S, P;
    ATTN_FIELDS(S, P)
};
inline scored scores(const std::string& how, std::size_t n, attn::real slope) {
    attn::require_whole_in("n", double(n), 1, 64);
    check_slope(slope);
    const attn::matrix S = attn::position_scores(attn::parse_encoding(how), content(), n, slope);
    return {S, attn::softmax_rows(S)};
}

/// The last query's score against a token `distance` back, for distance 0..far.
struct profile_result {
    std::vector<double> distance, score;
    ATTN_FIELDS(distance, score)
};
inline profile_result profile(const std::string& how, attn::real slope, std::size_t far) {
    attn::require_whole_in("distance", double(far), 1, 4096);
    check_slope(slope);
    const attn::matrix S = attn::position_scores(attn::parse_encoding(how), content(), far + 1, slope);
    profile_result r;
    for (std::size_t t = 0; t <= far; ++t) r.distance.push_back(double(t)), r.score.push_back(S(far, far - t));
    return r;
}

/// The sinusoidal table PE, (n, d): the page gets it as {value}.
inline attn::matrix table(std::size_t n, std::size_t d) {
    attn::require_whole_in("n", double(n), 1, 256);
    attn::require_whole_in("d", double(d), 1, 256);
    return attn::sinusoidal(n, d);
}

/// What `attnlab example 13 --json` prints: the position-only scores of 12 tokens, each way.
struct values {
    attn::matrix none, sinusoidal, rope, alibi, PE;
    ATTN_FIELDS(none, sinusoidal, rope, alibi, PE)
};
inline values example_values() {
    auto S = [](const char* how) { return attn::position_scores(attn::parse_encoding(how), content(), 12); };
    return {S("none"), S("sinusoidal"), S("rope"), S("alibi"), attn::sinusoidal(16, 16)};
}

/// The answers to this lesson's self-checks, computed by the library; their words are checks.json
/// (web/checks/question.hpp says how the two join).
inline std::vector<checks::answer> answers() {
    using checks::mat, checks::vec;
    // The pencil-and-paper exercises' inputs (the worksheet prints them; the answers use them).
    const attn::matrix ex_x = checks::mat({{1, 0}, {1, 0}});
    return {
        {"alibi", [] { return std::vector<double>{attn::alibi_bias(5, 0.5f)(4, 0)}; }},
        {"permute",
         [] {
             const attn::matrix X = mat({{1, 0}, {0, 2}, {1, 1}, {2, -1}});
             attn::matrix Y = X;
             xt::row(Y, 0) = xt::row(X, 2);
             xt::row(Y, 2) = xt::row(X, 0);
             const attn::matrix A = attn::attention(X, X, X), B = attn::attention(Y, Y, Y);
             const bool swapped = xt::amax(xt::abs(xt::row(A, 0) - xt::row(B, 2)))() < 1e-6 &&
                                  xt::amax(xt::abs(xt::row(A, 1) - xt::row(B, 1)))() < 1e-6;
             return std::vector<double>{swapped ? 0.0 : 1.0};
         },
         {[] { return std::vector<double>{1}; }, [] { return std::vector<double>{2}; }}},
        {"rope-offset",
         [] {
             const attn::vector q = vec({1, 0.5f, -1, 2}), k = vec({0.3f, 1, 2, -0.5f});
             return std::vector<double>{
                 std::abs(attn::rope_score(q, k, 5, 3) - attn::rope_score(q, k, 12, 10)) < 1e-5 ? 0.0 : 1.0};
         },
         {[] { return std::vector<double>{1}; }}},
        {"paper-alibi",
         [] { return checks::flat(attn::alibi_bias(3, 0.5f)); },
         {},
         [] { return std::vector<checks::given>{}; },
         [] {
             std::vector<std::string> lines{"bias(i, j) = −0.5·|i − j|"};
             for (const auto& r : checks::rows_text(attn::alibi_bias(3, 0.5f), 1)) lines.push_back(r);
             return lines;
         }},
        {"paper-rope",
         [=] { return checks::flat(attn::rope(ex_x, 1)); },
         {},
         [=] {
             return std::vector<checks::given>{{"x at positions 1 and 2", ex_x}};
         },
         [=] {
             const attn::matrix R = attn::rope(ex_x, 1);
             std::vector<std::string> lines;
             for (std::size_t r = 0; r < 2; ++r)
                 lines.push_back("position " + std::to_string(r + 1) + ": angle " + std::to_string(r + 1) +
                                 "·1 = " + std::to_string(r + 1) + " rad; (cos " + std::to_string(r + 1) + ", sin " +
                                 std::to_string(r + 1) + ") = " + checks::rows_text(R, 3)[r]);
             return lines;
         }},
    };
}

}  // namespace lessons::positions
