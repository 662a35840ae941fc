// tests/support/allclose.hpp — the one matcher every oracle test uses.
//
//   REQUIRE_THAT(S, AllClose(oracle::matmul_bt(Q, K), 1e-6, 1e-5));
//
// Passes when shapes match and every element satisfies
//   |actual - expected| <= atol + rtol·|expected|      (NumPy's allclose)
// with NaN equal only to NaN and ±inf only to itself. A failure prints both
// shapes, the worst error and the first mismatches with their indices; and, when
// the output is what a common mistake gives (tests/support/mistakes.hpp, listed
// with .naming({...})), that mistake by name first, with what to change.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <attn/shape.hpp>
#include <attn/tensor.hpp>

#include "mistakes.hpp"

namespace testing {

class AllCloseMatcher : public Catch::MatcherBase<attn::matrix> {
public:
    AllCloseMatcher(attn::matrix64 expected, double atol, double rtol)
        : expected_(std::move(expected)), atol_(atol), rtol_(rtol) {}

    /// The mistakes this test can reveal: a failing output that one of them gives is reported by name.
    AllCloseMatcher naming(std::vector<mistakes::known> known) && {
        known_ = std::move(known);
        return std::move(*this);
    }

    bool match(const attn::matrix& actual) const override {
        report_.clear();
        if (compare(actual)) return true;
        for (const auto& k : known_)
            if (looks_like(actual, k.gives)) {
                report_ = "looks like " + k.name + ": " + k.advice + " (" + report_ + ")";
                break;
            }
        return false;
    }

    std::string describe() const override { return report_.empty() ? "is close to the float64 reference" : report_; }

private:
    bool compare(const attn::matrix& actual) const {
        if (actual.shape() != expected_.shape()) {
            report_ =
                "has shape " + attn::shape_str(actual.shape()) + ", expected " + attn::shape_str(expected_.shape());
            return false;
        }
        std::size_t bad = 0;
        double worst = 0;
        std::ostringstream first;
        for (std::size_t i = 0; i < actual.shape(0); ++i)
            for (std::size_t j = 0; j < actual.shape(1); ++j) {
                const double a = actual(i, j), e = expected_(i, j);
                if (close(a, e)) continue;
                const double err = std::abs(a - e);
                if (!(err <= worst)) worst = err;  // NaN-safe: NaN becomes the worst
                if (bad++ < 4)
                    first << (bad > 1 ? "; " : " ") << "(" << i << ", " << j << ") got " << a << ", expected " << e;
            }
        if (bad == 0) return true;
        std::ostringstream report;
        report.precision(9);
        report << "has " << bad << " of " << actual.size() << " elements outside atol=" << atol_ << " rtol=" << rtol_
               << " (worst |error| " << worst << "); first:" << first.str();
        report_ = report.str();
        return false;
    }

    bool close(double a, double e) const { return close(a, e, atol_, rtol_); }
    static bool close(double a, double e, double atol, double rtol) {
        if (std::isnan(e) || std::isnan(a)) return std::isnan(e) && std::isnan(a);
        if (std::isinf(e) || std::isinf(a)) return a == e;
        return std::abs(a - e) <= atol + rtol * std::abs(e);
    }

    /// Whether `actual` is what a mistake gives, to float32's precision at least.
    bool looks_like(const attn::matrix& actual, const attn::matrix64& gives) const {
        if (actual.shape() != gives.shape()) return false;
        for (std::size_t i = 0; i < actual.shape(0); ++i)
            for (std::size_t j = 0; j < actual.shape(1); ++j)
                if (!close(actual(i, j), gives(i, j), std::max(atol_, 1e-5), std::max(rtol_, 1e-4))) return false;
        return true;
    }

    attn::matrix64 expected_;
    double atol_, rtol_;
    std::vector<mistakes::known> known_;
    mutable std::string report_;  // why the last match failed
};

inline AllCloseMatcher AllClose(attn::matrix64 expected, double atol, double rtol) {
    return AllCloseMatcher(std::move(expected), atol, rtol);
}

}  // namespace testing

// Catch prints a matrix by its shape, not by its (possibly thousands of) elements:
// AllClose's own report names the elements that matter.
namespace Catch {
template <>
struct StringMaker<attn::matrix> {
    static std::string convert(const attn::matrix& m) { return "matrix " + attn::shape_str(m.shape()); }
};
}  // namespace Catch
