// lessons/positions/lesson.hpp — lesson 12's C++ API: one token's content, repeated, so only position varies.
#pragma once

#include <string>
#include <vector>

#include <attn/fields.hpp>
#include <attn/positions.hpp>
#include <attn/rng.hpp>
#include <attn/softmax.hpp>

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

struct encoding_table {
    attn::matrix PE;
    ATTN_FIELDS(PE)
};
inline encoding_table table(std::size_t n, std::size_t d) {
    attn::require_whole_in("n", double(n), 1, 256);
    attn::require_whole_in("d", double(d), 1, 256);
    return {attn::sinusoidal(n, d)};
}

/// What `attnlab example 12 --json` prints: the position-only scores of 12 tokens, each way.
struct values {
    attn::matrix none, sinusoidal, rope, alibi, PE;
    ATTN_FIELDS(none, sinusoidal, rope, alibi, PE)
};
inline values example_values() {
    auto S = [](const char* how) { return attn::position_scores(attn::parse_encoding(how), content(), 12); };
    return {S("none"), S("sinusoidal"), S("rope"), S("alibi"), attn::sinusoidal(16, 16)};
}

}  // namespace lessons::positions
