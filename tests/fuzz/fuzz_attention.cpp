// tests/fuzz/fuzz_attention.cpp — libFuzzer over the kernels' public API.
//
// Each input is decoded into shapes (1..80 queries and keys, as often equal as
// not, so causal and windowed calls meet n_q < n_k and n_q > n_k too; widths
// 1..72 or one of the head sizes in use, 32..256, d_k and d_v apart),
// options (causal, a window, threads) and values: either any float32 bit
// pattern (NaN, ±inf, denormals, 3e38) or, in "tame" mode, values in [-8, 8]
// with a few specials sprinkled in. Then every kernel runs on the same input.
// What must hold, beyond "no crash, no sanitizer report":
//   1. Only attn's documented exceptions (shape_error, value_error,
//      resource_error) ever leave the library, and every kernel refuses
//      exactly the inputs v1_naive refuses (they share one value check).
//   2. When the kernels compute, every output is finite, lies in the hull of
//      V's rows (a convex combination, up to rounding), and equals v1_naive to
//      the accuracy float32 allows for these inputs: the scores carry rounding
//      of about (d_k + 2)·2⁻²⁴·S, S = max‖q‖·max‖k‖/√d_k bounding |score|, and weights
//      move by a factor up to e^(2·that), so the tolerance is
//      max|v|·(e^(2δ) − 1) + 1e-5·max|v|, capped at the hull's width.
//   3. v4_sparse (lesson 19) over a mask drawn from the input (any pairs, or whole 64×64 blocks)
//      meets the same bar against the masked reference.
//   4. v5_split_kv (lessons 08, 10) with its keys split three ways, merged, meets the bar of 2.
//   5. Linear attention (lesson 19), both forms, refuses only with attn's exceptions, and when it
//      computes, lies in V's hull and equals a float64 evaluation of its weights formed whole, both
//      to max|v|·(n_k + d_k + 4)·2⁻²³ (every term of its sums is positive but V's), unless a
//      feature is a float32 denormal, where only finiteness and the hull are checked.
// Build and run: docs/reliability.md.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include <attn/cost.hpp>
#include <attn/kernels/decode.hpp>
#include <attn/kernels/naive.hpp>
#include <attn/kernels/online.hpp>
#include <attn/kernels/sparse.hpp>
#include <attn/kernels/tiled.hpp>
#include <attn/linear.hpp>
#include <attn/shape.hpp>
#include <attn/window.hpp>

namespace {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_attention: %s\n", what.c_str());
    std::abort();
}

/// A head size: half the time one in use (or an odd one), else anything from 1 to 72.
std::size_t width(FuzzedDataProvider& in) {
    static constexpr std::size_t common[] = {32, 64, 80, 96, 128, 256, 59, 111};
    if (in.ConsumeBool()) return common[in.ConsumeIntegralInRange<std::size_t>(0, 7)];
    return in.ConsumeIntegralInRange<std::size_t>(1, 72);
}

float any_float(FuzzedDataProvider& in) {
    const std::uint32_t bits = in.ConsumeIntegral<std::uint32_t>();
    float x;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

float tame_float(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 63)) {
        case 0:
            return std::numeric_limits<float>::quiet_NaN();
        case 1:
            return std::numeric_limits<float>::infinity();
        case 2:
            return -std::numeric_limits<float>::infinity();
        case 3:
            return std::numeric_limits<float>::denorm_min();
        case 4:
            return 1e20f;
        case 5:
            return -1e4f;
        case 6:
            return 0.0f;
        default:
            return in.ConsumeFloatingPointInRange<float>(-8.0f, 8.0f);
    }
}

attn::matrix fill(FuzzedDataProvider& in, std::size_t rows, std::size_t cols, int mode) {
    attn::matrix M = xt::zeros<float>({rows, cols});
    for (auto& x : M)
        x = mode == 0 ? any_float(in) : mode == 1 ? tame_float(in) : in.ConsumeFloatingPointInRange<float>(-4.0f, 4.0f);
    return M;
}

struct outcome {
    bool threw = false;
    std::string message;
    attn::matrix O;
};

template <class F>
outcome attempt(F&& run) {
    outcome r;
    try {
        r.O = run();
    } catch (const attn::shape_error& e) {
        r.threw = true, r.message = e.what();
    } catch (const attn::value_error& e) {
        r.threw = true, r.message = e.what();
    } catch (const attn::resource_error& e) {
        r.threw = true, r.message = e.what();
    } catch (const std::exception& e) {
        fail(std::string("an undocumented exception escaped: ") + e.what());
    }
    return r;
}

double max_abs(const attn::matrix& M) {
    double m = 0;
    for (float x : M) m = std::max(m, double(std::abs(x)));
    return m;
}

double max_row_norm(const attn::matrix& M) {
    double worst = 0;
    for (std::size_t i = 0; i < M.shape(0); ++i) {
        double s = 0;
        for (std::size_t c = 0; c < M.shape(1); ++c) s += double(M(i, c)) * double(M(i, c));
        worst = std::max(worst, std::sqrt(s));
    }
    return worst;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const bool causal = in.ConsumeBool();
    const std::size_t n_q = in.ConsumeIntegralInRange<std::size_t>(1, 80);
    const std::size_t n_k = in.ConsumeBool() ? n_q : in.ConsumeIntegralInRange<std::size_t>(1, 80);
    const std::size_t d_k = width(in);
    const std::size_t d_v = width(in);
    const std::size_t threads = in.ConsumeIntegralInRange<std::size_t>(1, 3);
    const std::size_t window = in.ConsumeIntegralInRange<std::size_t>(0, n_k + 2);
    const int mode = in.ConsumeIntegralInRange<int>(0, 2);  // 0 any bits, 1 tame + specials, 2 tame
    const attn::matrix Q = fill(in, n_q, d_k, mode), K = fill(in, n_k, d_k, mode), V = fill(in, n_k, d_v, mode);
    // A mask for v4_sparse: each pair, or each block of 64, visible with a chance the input picks.
    attn::mask allowed = xt::zeros<bool>({n_q, n_k});
    {
        const bool blocks = in.ConsumeBool();
        const std::uint8_t odds = in.ConsumeIntegral<std::uint8_t>();
        std::uint64_t state = in.ConsumeIntegral<std::uint64_t>();
        auto coin = [&] {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            return std::uint8_t(state >> 56) < odds;
        };
        bool block_seen[2][2];
        for (auto& row : block_seen)
            for (bool& b : row) b = coin();
        for (std::size_t i = 0; i < n_q; ++i)
            for (std::size_t j = 0; j < n_k; ++j) allowed(i, j) = blocks ? block_seen[i / 64][j / 64] : coin();
    }

    namespace k = attn::kernels;
    const outcome ref = attempt([&] { return k::v1_naive(Q, K, V, causal); });
    struct candidate {
        const char* name;
        outcome out;
    };
    std::vector<candidate> others{
        {"v2_online", attempt([&] { return k::v2_online(Q, K, V, causal); })},
        {"v3_tiled", attempt([&] { return k::v3_tiled(Q, K, V, causal, threads); })},
        {"v4_simd", attempt([&] { return k::v4_simd(Q, K, V, causal, threads); })},
        // split the keys three ways whatever the thread count, so the merge runs in every build
        {"v5_split_kv", attempt([&] { return k::v5_split_kv(Q, K, V, causal, threads, 3); })},
    };

    // Window: v4_window against the masked reference computed by v1_naive's rules.
    outcome win, win_ref;
    if (window != 0) {
        win = attempt([&] { return k::v4_window(Q, K, V, window, causal, threads); });
        win_ref = attempt([&] {
            k::detail::require_kernel_values("reference", Q, K, V);
            return attn::window_attention(Q, K, V, window, causal);
        });
    }

    const outcome sparse = attempt([&] { return k::v4_sparse(Q, K, V, allowed, threads); });
    const outcome sparse_ref = attempt([&] {
        k::detail::require_kernel_values("reference", Q, K, V);
        return attn::masked_attention(Q, K, V, allowed);
    });

    auto check = [&](const char* name, const outcome& got, const outcome& want) {
        if (got.threw != want.threw)
            fail(std::string(name) + (got.threw ? " refused what the reference computes: " + got.message
                                                : " computed what the reference refuses: " + want.message));
        if (got.threw) return;
        const double vmax = max_abs(V);
        const double S = max_row_norm(Q) * max_row_norm(K) / std::sqrt(double(d_k));
        const double delta = double(d_k + 2) * std::ldexp(1.0, -24) * S;
        const double tol = std::min(2.0 * vmax, vmax * (std::expm1(std::min(2.0 * delta, 50.0)) + 1e-5)) + 1e-30;
        for (std::size_t i = 0; i < got.O.shape(0); ++i)
            for (std::size_t c = 0; c < got.O.shape(1); ++c) {
                const double a = got.O(i, c), b = want.O(i, c);
                if (!std::isfinite(a)) fail(std::string(name) + ": a non-finite output from finite, checked inputs");
                if (std::abs(a) > vmax * (1 + 1e-5) + 1e-30) fail(std::string(name) + ": an output outside V's hull");
                if (std::abs(a - b) > tol) {
                    char buf[256];
                    std::snprintf(buf, sizeof buf, ": O(%zu, %zu) = %.9g but the reference has %.9g (tolerance %.3g)",
                                  i, c, a, b, tol);
                    fail(std::string(name) + buf);
                }
            }
    };
    for (const auto& c : others) check(c.name, c.out, ref);
    if (window != 0) check("v4_window", win, win_ref);
    check("v4_sparse", sparse, sparse_ref);

    // Linear attention, both forms, against float64: the features once, then each row's weights.
    auto phi = [](double x) { return x > 0 ? x + 1 : std::exp(x); };
    bool denormal = false;
    std::vector<double> fQ(n_q * d_k), fK(n_k * d_k);
    for (auto [M, f] : {std::pair{&Q, &fQ}, std::pair{&K, &fK}})
        for (std::size_t k = 0; k < M->size(); ++k) {
            const double x = M->data()[k], y = std::isfinite(x) ? phi(x) : 0;
            (*f)[k] = y;
            denormal = denormal || (y > 0 && y < double(std::numeric_limits<float>::min()));
        }
    std::vector<double> lo(d_v), hi(d_v);
    for (std::size_t e = 0; e < d_v; ++e) {
        lo[e] = hi[e] = V(0, e);
        for (std::size_t j = 0; j < n_k; ++j)
            lo[e] = std::min(lo[e], double(V(j, e))), hi[e] = std::max(hi[e], double(V(j, e)));
    }
    const double vmax = max_abs(V), tol = vmax * double(n_k + d_k + 4) * std::ldexp(1.0, -23) + 1e-30;
    for (bool causal_form : {false, true}) {
        const char* name = causal_form ? "causal_linear_attention" : "linear_attention";
        const outcome got = attempt(
            [&] { return causal_form ? attn::causal_linear_attention(Q, K, V) : attn::linear_attention(Q, K, V); });
        if (got.threw) continue;
        std::vector<double> w(n_k);
        for (std::size_t i = 0; i < n_q; ++i) {
            double sum = 0;
            for (std::size_t j = 0; j < n_k; ++j) {
                double dot = 0;
                if (!causal_form || j <= i)
                    for (std::size_t c = 0; c < d_k; ++c) dot += fQ[i * d_k + c] * fK[j * d_k + c];
                sum += w[j] = dot;
            }
            for (std::size_t e = 0; e < d_v; ++e) {
                double want = 0;
                for (std::size_t j = 0; j < n_k; ++j) want += w[j] * V(j, e);
                want /= sum;
                const double a = got.O(i, e);
                if (!std::isfinite(a)) fail(std::string(name) + ": a non-finite output from finite, checked inputs");
                if (a < lo[e] - tol || a > hi[e] + tol)  // each sum rounds: the hull holds to the same tolerance
                    fail(std::string(name) + ": an output outside V's hull");
                if (!denormal && std::abs(a - want) > tol) {
                    char buf[256];
                    std::snprintf(buf, sizeof buf, ": O(%zu, %zu) = %.9g but float64 has %.9g (tolerance %.3g)", i, e,
                                  a, want, tol);
                    fail(std::string(name) + buf);
                }
            }
        }
    }
    return 0;
}
