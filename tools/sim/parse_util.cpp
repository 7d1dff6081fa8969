// Word, number and key=value helpers for the scenario parser.
#include "tools/sim/parse_util.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace rthv::sim::parse {

std::vector<std::string> split_words(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream in(line);
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

uint64_t to_u64(const std::string& key, const std::string& text) {
    uint64_t value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        throw Failure{"'" + key + "' needs a non-negative integer, got '" + text + "'"};
    return value;
}

bool to_bool(const std::string& key, const std::string& text) {
    if (text == "yes" || text == "1" || text == "on") return true;
    if (text == "no" || text == "0" || text == "off") return false;
    throw Failure{"'" + key + "' must be yes or no, got '" + text + "'"};
}

Pairs to_pairs(const std::vector<std::string>& words, size_t from,
               const std::vector<std::string>& known) {
    Pairs pairs;
    for (size_t i = from; i < words.size(); ++i) {
        size_t eq = words[i].find('=');
        if (eq == std::string::npos || eq == 0)
            throw Failure{"expected key=value, got '" + words[i] + "'"};
        std::string key = words[i].substr(0, eq);
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw Failure{"unknown key '" + key + "'"};
        if (!pairs.emplace(key, words[i].substr(eq + 1)).second)
            throw Failure{"key '" + key + "' given twice"};
    }
    return pairs;
}

} // namespace rthv::sim::parse

namespace rthv::sim {

std::optional<CpuSet> parse_cpu_list(const std::string& text, CpuId pcpus) {
    if (text == "all") return CpuSet::first_n(pcpus);
    CpuSet set;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        size_t dash = item.find('-');
        std::string lo_s = item.substr(0, dash);
        std::string hi_s = dash == std::string::npos ? lo_s : item.substr(dash + 1);
        uint64_t lo = 0, hi = 0;
        auto a = std::from_chars(lo_s.data(), lo_s.data() + lo_s.size(), lo);
        auto b = std::from_chars(hi_s.data(), hi_s.data() + hi_s.size(), hi);
        if (lo_s.empty() || hi_s.empty() || a.ec != std::errc() || b.ec != std::errc() ||
            a.ptr != lo_s.data() + lo_s.size() || b.ptr != hi_s.data() + hi_s.size())
            return std::nullopt;
        if (lo > hi || hi >= pcpus) return std::nullopt;
        for (uint64_t c = lo; c <= hi; ++c) set.set(static_cast<CpuId>(c));
    }
    if (set.empty()) return std::nullopt;
    return set;
}

std::string ParseError::to_string() const {
    return (line > 0 ? "line " + std::to_string(line) + ": " : std::string()) + message;
}

} // namespace rthv::sim
