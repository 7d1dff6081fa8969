// Helpers shared by the scenario parser's files. Internal to rtds-sim; a Failure thrown here is
// turned into a ParseError carrying the current line number by parse_scenario().
#pragma once

#include "tools/sim/scenario.hpp"

#include <map>
#include <string>
#include <vector>

namespace rthv::sim::parse {

inline constexpr uint64_t kMaxPeriodUs = uint64_t{1} << 32; // keeps ns maths far from overflow
inline constexpr uint64_t kMinBudgetUs = 10;

struct Failure {
    std::string message;
};

using Pairs = std::map<std::string, std::string>;

std::vector<std::string> split_words(const std::string& line);
uint64_t to_u64(const std::string& key, const std::string& text);
bool to_bool(const std::string& key, const std::string& text);
// key=value pairs in words[from..]; each key at most once and one of `known`.
Pairs to_pairs(const std::vector<std::string>& words, size_t from,
               const std::vector<std::string>& known);

// Parses "vcpu NAME key=value..." given the pools declared so far.
VcpuSpec vcpu_line(const std::vector<std::string>& words,
                   const std::map<std::string, size_t>& pools, CpuId pcpus);

} // namespace rthv::sim::parse
