// cli/npy.hpp — NumPy .npy files in and out, for `attnlab compute`.
//
// xtensor's xnpy does the reading and writing. It trusts its input, though: a
// truncated file leaves part of the array uninitialised, an empty header reads
// out of bounds, a shape of (10¹², 10¹²) asks for a huge allocation. So every
// file is checked here first, byte by byte, against the format (numpy's
// NEP 1 / format.py): magic, version, header length, the header's dict, dtype,
// rank, the data size implied by the shape against the bytes actually there.
// Only a file that passes goes to xt::load_npy, behind a header rewritten in
// the one form xnpy parses safely (version 1.0, keys in numpy's order, a
// header length below 128: xnpy reads the length through a signed char).
// Every failure is an npy_error whose message names the file and says what to do.
// Fuzzed by tests/fuzz/fuzz_npy.cpp.
#pragma once

#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xnpy.hpp>
#include <xtensor/xtensor.hpp>

#include <attn/tensor.hpp>

namespace attnlab::npy {

struct npy_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// What a .npy header says.
struct header {
    std::string descr;  // "<f4", "<f8", "|b1", ...
    bool fortran_order = false;
    std::vector<std::size_t> shape;
    std::size_t data_offset = 0;  // where the array's bytes start
    std::size_t item_bytes = 0;   // from descr
    std::size_t data_bytes = 0;   // product(shape) · item_bytes (checked for overflow)

    std::size_t elements() const { return item_bytes ? data_bytes / item_bytes : 0; }
};

inline std::string shape_text(const std::vector<std::size_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

namespace detail {

/// A cursor over the header's Python literal: {'key': value, ...}.
struct literal_reader {
    const std::string& text;
    const std::string& name;
    std::size_t at = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throw npy_error(name + ": the .npy header is not what numpy.save writes (" + what + " at character " +
                        std::to_string(at + 1) + ")");
    }
    void skip_space() {
        while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n')) ++at;
    }
    bool peek(char c) {
        skip_space();
        return at < text.size() && text[at] == c;
    }
    void expect(char c) {
        if (!peek(c)) fail(std::string("expected '") + c + "'");
        ++at;
    }
    std::string quoted() {
        skip_space();
        if (at >= text.size() || (text[at] != '\'' && text[at] != '"')) fail("expected a quoted string");
        const char q = text[at++];
        const std::size_t start = at;
        while (at < text.size() && text[at] != q) {
            if (!std::isprint(static_cast<unsigned char>(text[at]))) fail("unprintable character in a string");
            ++at;
        }
        if (at >= text.size()) fail("unterminated string");
        return text.substr(start, at++ - start);
    }
    bool boolean() {
        skip_space();
        if (text.compare(at, 4, "True") == 0) return at += 4, true;
        if (text.compare(at, 5, "False") == 0) return at += 5, false;
        fail("expected True or False");
    }
    std::size_t whole() {
        skip_space();
        if (at >= text.size() || !std::isdigit(static_cast<unsigned char>(text[at]))) fail("expected a whole number");
        std::size_t v = 0;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
            const std::size_t digit = std::size_t(text[at++] - '0');
            if (v > (std::numeric_limits<std::size_t>::max() - digit) / 10) fail("a dimension too large to count");
            v = v * 10 + digit;
        }
        if (at < text.size() && text[at] == 'L') ++at;  // Python 2's long suffix
        return v;
    }
    std::vector<std::size_t> tuple() {
        expect('(');
        std::vector<std::size_t> dims;
        while (!peek(')')) {
            dims.push_back(whole());
            if (dims.size() > 32) fail("more than 32 dimensions");
            if (peek(','))
                ++at;
            else if (!peek(')'))
                fail("expected ',' or ')'");
        }
        ++at;
        return dims;
    }
};

inline std::uint32_t little_endian(const std::string& bytes, std::size_t at, std::size_t count) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < count; ++i) v |= std::uint32_t(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    return v;
}

}  // namespace detail

/// Throws unless a file of `file_bytes` holds exactly the data its header describes.
inline void require_data_size(const header& h, std::size_t file_bytes, const std::string& name) {
    const std::size_t have = file_bytes - h.data_offset;
    if (have != h.data_bytes)
        throw npy_error(name + ": its header says shape " + shape_text(h.shape) + " of " + h.descr + ", which is " +
                        std::to_string(h.data_bytes) + " bytes of data, but the file holds " + std::to_string(have) +
                        (have < h.data_bytes ? " (truncated?)" : ""));
}

/// Parses and checks the header at the start of `bytes` (the whole file, or at
/// least its first bytes when `whole_file` is false). `name` goes into messages.
inline header parse_header(const std::string& bytes, const std::string& name, bool whole_file = true) {
    static const char magic[] = "\x93NUMPY";
    if (bytes.size() < 10 || bytes.compare(0, 6, magic, 6) != 0)
        throw npy_error(name +
                        ": not a NumPy .npy file (it does not start with \\x93NUMPY); save arrays with "
                        "numpy.save");
    const int major = static_cast<unsigned char>(bytes[6]), minor = static_cast<unsigned char>(bytes[7]);
    if (!((major == 1 || major == 2 || major == 3) && minor == 0))
        throw npy_error(name + ": .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                        " is not one this reader knows (1.0, 2.0, 3.0)");
    const std::size_t len_bytes = major == 1 ? 2 : 4;
    if (bytes.size() < 8 + len_bytes) throw npy_error(name + ": the file ends inside its header");
    const std::size_t header_len = detail::little_endian(bytes, 8, len_bytes);
    header h;
    h.data_offset = 8 + len_bytes + header_len;
    if (header_len > 1u << 20)
        throw npy_error(name + ": its header claims " + std::to_string(header_len) +
                        " bytes; numpy writes a few hundred");
    if (bytes.size() < h.data_offset)
        throw npy_error(name + ": the file ends inside its header (" + std::to_string(bytes.size()) +
                        " bytes, the header "
                        "says it needs " +
                        std::to_string(h.data_offset) + ")");
    const std::string text = bytes.substr(8 + len_bytes, header_len);
    if (text.empty() || text.back() != '\n') throw npy_error(name + ": the .npy header does not end with a newline");

    detail::literal_reader r{text, name};
    r.expect('{');
    bool have_descr = false, have_order = false, have_shape = false;
    while (!r.peek('}')) {
        const std::string key = r.quoted();
        r.expect(':');
        if (key == "descr" && !have_descr) {
            h.descr = r.quoted();
            have_descr = true;
        } else if (key == "fortran_order" && !have_order) {
            h.fortran_order = r.boolean();
            have_order = true;
        } else if (key == "shape" && !have_shape) {
            h.shape = r.tuple();
            have_shape = true;
        } else {
            r.fail("unexpected or repeated key '" + key + "'");
        }
        if (r.peek(','))
            ++r.at;
        else if (!r.peek('}'))
            r.fail("expected ',' or '}'");
    }
    ++r.at;
    r.skip_space();
    if (r.at != text.size()) r.fail("text after the dictionary");
    if (!have_descr || !have_order || !have_shape)
        throw npy_error(name + ": the .npy header lacks " +
                        (!have_descr   ? "'descr'"
                         : !have_order ? "'fortran_order'"
                                       : "'shape'"));

    // descr: byte order, kind, size. Only what numpy writes for plain numbers and bools.
    const std::string& d = h.descr;
    const bool ok_descr = d.size() >= 3 && d.size() <= 4 &&
                          (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=') &&
                          std::string("fiub").find(d[1]) != std::string::npos &&
                          d.find_first_not_of("0123456789", 2) == std::string::npos;
    if (!ok_descr)
        throw npy_error(name + ": dtype '" + d +
                        "' is not a plain number or bool type; save a float32, float64 or bool "
                        "array");
    h.item_bytes = std::stoul(d.substr(2));
    if (h.item_bytes == 0 || h.item_bytes > 16) throw npy_error(name + ": dtype '" + d + "' has an impossible size");

    std::size_t count = 1;
    for (std::size_t e : h.shape) {
        if (e != 0 && count > std::numeric_limits<std::size_t>::max() / e)
            throw npy_error(name + ": shape " + shape_text(h.shape) + " has more elements than can be counted");
        count *= e;
    }
    if (count > std::numeric_limits<std::size_t>::max() / h.item_bytes)
        throw npy_error(name + ": shape " + shape_text(h.shape) + " of " + d + " needs more bytes than can be counted");
    h.data_bytes = count * h.item_bytes;
    if (whole_file) require_data_size(h, bytes.size(), name);
    return h;
}

/// The file's bytes; a clear error if it cannot be read.
inline std::string read_file(const std::string& path, const std::string& name, std::size_t limit = SIZE_MAX) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw npy_error(name + ": cannot open '" + path + "' (no such file, or no permission to read it)");
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0) throw npy_error(name + ": cannot read '" + path + "' (is it a directory?)");
    in.seekg(0);
    std::string bytes(std::min<std::size_t>(std::size_t(size), limit), '\0');
    in.read(bytes.data(), std::streamsize(bytes.size()));
    if (!in) throw npy_error(name + ": reading '" + path + "' failed");
    return bytes;
}

/// The same array's header as xnpy reads it safely: version 1.0, numpy's key
/// order, length below 128 bytes (rank ≤ 2 always fits), padded to 16 bytes.
inline std::string canonical_header(const header& h) {
    if (h.shape.size() > 2) throw npy_error("canonical_header: only matrices and vectors");
    std::string dict = "{'descr': '" + h.descr + "', 'fortran_order': " + (h.fortran_order ? "True" : "False") +
                       ", 'shape': " + shape_text(h.shape) + ", }";
    std::size_t len = dict.size() + 1;
    while ((10 + len) % 16 != 0) ++len;
    dict.append(len - dict.size() - 1, ' ');
    dict += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += char(len & 0xff);
    out += char(len >> 8);
    return out + dict;
}

/// An input stream holding the file's array behind its canonical header, for xt::load_npy.
inline std::istringstream xnpy_stream(const header& h, const std::string& bytes) {
    return std::istringstream(canonical_header(h) + bytes.substr(h.data_offset, h.data_bytes));
}

/// Checks that the header describes a rank-2 float32/float64 matrix.
inline void require_matrix(const header& h, const std::string& name) {
    if (h.shape.size() != 2)
        throw npy_error(name + ": has shape " + shape_text(h.shape) + "; it must be a matrix (rows, columns)");
    if (h.descr != "<f4" && h.descr != "<f8") {
        std::string hint = h.descr[1] == 'f' && h.descr[0] == '>' ? " (big-endian: convert with a.astype('<f4'))"
                                                                  : " (convert with a.astype(numpy.float32))";
        throw npy_error(name + ": dtype is '" + h.descr + "'; attention takes float32 ('<f4') or float64 ('<f8')" +
                        hint);
    }
}

/// A float32/float64 matrix from a whole file's bytes. Throws npy_error, never reads out of bounds.
/// Values are not checked here (see first_non_finite).
inline attn::matrix64 load_matrix(const std::string& bytes, const std::string& name) {
    const header h = parse_header(bytes, name);
    require_matrix(h, name);
    std::istringstream in = xnpy_stream(h, bytes);
    try {
        if (h.descr == "<f4") return xt::load_npy<float>(in);
        return xt::load_npy<double>(in);
    } catch (const std::exception& e) {
        throw npy_error(name + ": " + e.what());
    }
}

/// A bool/uint8 matrix (a mask) from a whole file's bytes; uint8 must hold 0 or 1.
inline xt::xtensor<bool, 2> load_mask(const std::string& bytes, const std::string& name) {
    const header h = parse_header(bytes, name);
    if (h.shape.size() != 2)
        throw npy_error(name + ": has shape " + shape_text(h.shape) + "; a mask is a matrix (queries, keys)");
    std::istringstream in = xnpy_stream(h, bytes);
    try {
        if (h.descr == "|b1") {
            // numpy's bools are bytes 0 or 1; anything else is not a bool.
            for (std::size_t k = 0; k < h.data_bytes; ++k)
                if (static_cast<unsigned char>(bytes[h.data_offset + k]) > 1)
                    throw npy_error(name + ": byte " + std::to_string(k) + " of its bool data is neither 0 nor 1");
            return xt::load_npy<bool>(in);
        }
        if (h.descr == "|u1") {
            xt::xtensor<std::uint8_t, 2> m = xt::load_npy<std::uint8_t>(in);
            for (auto v : m)
                if (v > 1) throw npy_error(name + ": holds " + std::to_string(int(v)) + "; a uint8 mask holds 0 or 1");
            return xt::cast<bool>(m);
        }
    } catch (const npy_error&) {
        throw;
    } catch (const std::exception& e) {
        throw npy_error(name + ": " + e.what());
    }
    throw npy_error(name + ": dtype is '" + h.descr + "'; a mask is bool ('|b1') or uint8 ('|u1') with 1 = may attend");
}

/// The first element that is NaN or ±inf, as "(i, j) is nan", or "" if all are finite.
template <class M>
std::string first_non_finite(const M& m) {
    for (std::size_t i = 0; i < m.shape(0); ++i)
        for (std::size_t j = 0; j < m.shape(1); ++j)
            if (!std::isfinite(m(i, j))) {
                std::ostringstream s;
                s << "(" << i << ", " << j << ") is " << m(i, j);
                return s.str();
            }
    return "";
}

}  // namespace attnlab::npy
