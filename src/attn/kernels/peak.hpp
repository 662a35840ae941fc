// attn/kernels/peak.hpp — this machine's roof, measured: the arithmetic peak of one core and the
// bandwidth of reading memory far larger than any cache.
//
// Teaches (lessons 07 and 09): a kernel's GFLOP/s means something only beside what the core can
// do at all, measured in the same run. The peak is 12 independent chains of SIMD multiply-adds
// (enough to cover the FMA latency on every port, so the units never wait); the bandwidth is four
// running sums over a 32 MiB buffer. One definition serves lesson 07's roofline, the native
// benchmark's fma_peak and the wasm benchmark's peak().
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <vector>

#include "simd.hpp"

namespace attn::kernels {

inline constexpr int peak_chains = 12;

namespace detail {
inline volatile float peak_sink;  // the measured loops' sums land here, so none is optimised away
}  // namespace detail

/// The floating-point operations of fma_chains(steps): 2 per lane per multiply-add.
inline double fma_chain_flops(std::size_t steps) { return 2.0 * simd::W * peak_chains * double(steps); }

/// `steps` rounds of peak_chains independent multiply-adds; returns their sum, so none is optimised away.
inline float fma_chains(std::size_t steps, float start = 0) {
    using namespace simd;
    reg acc[peak_chains];
    for (int c = 0; c < peak_chains; ++c) acc[c] = set1(start + float(c) * 1e-3f);
    const reg a = set1(0.999999f), b = set1(1e-7f);
    for (std::size_t i = 0; i < steps; ++i)
        for (auto& r : acc) r = fma(r, a, b);
    reg total = acc[0];
    for (int c = 1; c < peak_chains; ++c) total = add(total, acc[c]);
    float out[W];
    store(out, total);
    return out[0];
}

/// The sum of a buffer read front to back, four SIMD registers at a time.
inline float read_all(const std::vector<float>& big) {
    using namespace simd;
    reg s0 = zero(), s1 = zero(), s2 = zero(), s3 = zero();
    for (std::size_t i = 0; i + 4 * W <= big.size(); i += 4 * W) {
        s0 = add(s0, load(&big[i]));
        s1 = add(s1, load(&big[i + W]));
        s2 = add(s2, load(&big[i + 2 * W]));
        s3 = add(s3, load(&big[i + 3 * W]));
    }
    float out[W];
    store(out, add(add(s0, s1), add(s2, s3)));
    return out[0];
}

struct roof {
    double gflops, gbytes_per_s;  // the best of the runs
};

/// The best of `reps` runs of each: fma_chains(steps), and read_all over 32 MiB.
inline roof measure_roof(std::size_t reps, std::size_t steps = std::size_t(1) << 20) {
    using clock = std::chrono::steady_clock;
    const auto seconds = [](clock::time_point a, clock::time_point b) {
        return std::chrono::duration<double>(b - a).count();
    };
    static const std::vector<float> big(std::size_t(8) << 20, 1.0f);  // 32 MiB: past every cache
    roof best{0, 0};
    float sink = 0;
    for (std::size_t r = 0; r < std::max<std::size_t>(reps, 1); ++r) {
        auto t0 = clock::now();
        sink += fma_chains(steps, float(r));
        auto t1 = clock::now();
        best.gflops = std::max(best.gflops, fma_chain_flops(steps) / seconds(t0, t1) * 1e-9);
        t0 = clock::now();
        sink += read_all(big);
        t1 = clock::now();
        best.gbytes_per_s = std::max(best.gbytes_per_s, double(big.size()) * sizeof(float) / seconds(t0, t1) * 1e-9);
    }
    detail::peak_sink = sink;
    return best;
}

}  // namespace attn::kernels
