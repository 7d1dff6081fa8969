// Streaming JSON output: one element per line inside containers, indented by depth.
#include "tools/sim/json_writer.hpp"

#include <cstdio>

namespace rthv::sim {

void JsonWriter::newline() {
    out_ << '\n';
    for (size_t i = 0; i < first_.size(); ++i) out_ << "  ";
}

void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ << ',';
    first_.back() = false;
    newline();
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    out_ << '{';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    out_ << '[';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ << bracket;
    if (first_.empty()) out_ << '\n';
    return *this;
}

JsonWriter& JsonWriter::end_object() { return close('}'); }
JsonWriter& JsonWriter::end_array() { return close(']'); }

JsonWriter& JsonWriter::key(const std::string& k) {
    before_value();
    out_ << escape(k) << ": ";
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& s) {
    before_value();
    out_ << escape(s);
    return *this;
}

JsonWriter& JsonWriter::value(uint64_t n) {
    before_value();
    out_ << n;
    return *this;
}

JsonWriter& JsonWriter::value(int64_t n) {
    before_value();
    out_ << n;
    return *this;
}

JsonWriter& JsonWriter::value(bool b) {
    before_value();
    out_ << (b ? "true" : "false");
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ << "null";
    return *this;
}

JsonWriter& JsonWriter::fixed(uint64_t scaled, unsigned decimals) {
    uint64_t div = 1;
    for (unsigned i = 0; i < decimals; ++i) div *= 10;
    before_value();
    out_ << scaled / div;
    if (decimals > 0) {
        std::string frac = std::to_string(scaled % div);
        out_ << '.' << std::string(decimals - frac.size(), '0') << frac;
    }
    return *this;
}

std::string JsonWriter::escape(const std::string& s) {
    std::string r = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            r += '\\';
            r += static_cast<char>(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            r += buf;
        } else {
            r += static_cast<char>(c);
        }
    }
    return r + "\"";
}

} // namespace rthv::sim
