// cli/term.hpp — how attnlab writes to a terminal: colour only on one (and never with NO_COLOR),
// lesson numbers as two digits, lines of a program's output.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace attnlab {

inline bool color() {
    static const bool on = isatty(1) && !std::getenv("NO_COLOR");
    return on;
}
inline std::string paint(const char* code, const std::string& s) {
    return color() ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
}
inline std::string bold(const std::string& s) { return paint("1", s); }
inline std::string green(const std::string& s) { return paint("32", s); }
inline std::string red(const std::string& s) { return paint("31", s); }
inline std::string dim(const std::string& s) { return paint("2", s); }

inline std::string two_digits(int id) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", id);
    return buf;
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// Now, as the site writes times: 2026-12-01T09:30:00Z.
inline std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace attnlab
