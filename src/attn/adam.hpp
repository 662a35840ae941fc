// attn/adam.hpp — Adam, the optimiser every model the course trains uses: lesson 15's attention
// model and the encoder-decoder of "why attention" (attn/seq2seq.hpp). A leaf, so that neither
// includes the other's lesson. (The transformer's AdamW, with decay and a schedule, is in
// attn/transformer.hpp.)
#pragma once

#include <cmath>
#include <cstddef>

#include "shape.hpp"
#include "tensor.hpp"

namespace attn {

// [adam]
/// Adam (Kingma & Ba 2015), step t ≥ 1: m and v are running means of g and g²,
/// bias-corrected; each parameter moves by lr·m̂/(√v̂ + ε), about lr whatever g's scale.
inline void adam_update(matrix& p, const matrix& g, matrix& m, matrix& v, std::size_t t, real lr) {
    require_shapes(p.shape() == g.shape() && p.shape() == m.shape() && p.shape() == v.shape(), "adam_update", "p", p,
                   "g", g, "a parameter, its gradient and both moments share one shape");
    if (t == 0) throw value_error("adam_update: steps count from 1");
    const real b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
    const real c1 = 1 - std::pow(b1, real(t)), c2 = 1 - std::pow(b2, real(t));  // bias corrections
    for (std::size_t e = 0; e < p.size(); ++e) {
        const real gi = g.data()[e];
        real& mi = m.data()[e];
        real& vi = v.data()[e];
        mi = b1 * mi + (1 - b1) * gi;
        vi = b2 * vi + (1 - b2) * gi * gi;
        p.data()[e] -= lr * (mi / c1) / (std::sqrt(vi / c2) + eps);
    }
}
// [adam]

}  // namespace attn
