// lessons/12_positions/example.hpp — one token's content, repeated, so only position varies.
#pragma once

#include <string>
#include <vector>

#include <attn/tensor.hpp>
#include <attn/rng.hpp>

namespace lesson12 {

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

}  // namespace lesson12
