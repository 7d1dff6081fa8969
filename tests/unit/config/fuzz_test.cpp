// Random and mutated inputs: no crash, no hang, no sanitizer report, and the result always
// obeys the parser's own invariants. Seeded, so a failure reproduces.
#include <fstream>
#include <random>
#include <sstream>

#include "tests/unit/config/config_test_util.hpp"

namespace rthv::config::test {
namespace {

constexpr uint64_t kSeed = 0x5eed2024;
constexpr int kCases = 100000;

const char* const kTokens[] = {
    "[domain]",
    "[pool]",
    "[",
    "]",
    "name",
    "vcpus",
    "cpus",
    "pool",
    "period",
    "budget",
    "kernel",
    "=",
    "\"",
    "'",
    ",",
    ";",
    "#",
    "\n",
    " ",
    "0",
    "10",
    "0x1f",
    "-",
    "^",
    "all",
    "\"0-3\"",
    "\"periodic\"",
    "job_us",
    "\"a\"",
    "wake",
    "\"cbs\"",
    "extratime",
    "1",
    "18446744073709551616",
    "\"Pool-0\"",
    "\t",
    "\r\n",
};

std::string default_cfg() {
    std::ifstream in(RTHV_SOURCE_DIR "/hv/config/default.cfg", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string random_bytes(std::mt19937_64& rng) {
    std::string s(rng() % 200, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
}

std::string token_soup(std::mt19937_64& rng) {
    std::string s;
    for (uint64_t n = rng() % 60; n > 0; --n) s += kTokens[rng() % std::size(kTokens)];
    return s;
}

std::string mutated(std::mt19937_64& rng, const std::string& base) {
    std::string s = base;
    for (uint64_t n = 1 + rng() % 8; n > 0 && !s.empty(); --n) {
        size_t at = rng() % s.size();
        switch (rng() % 4) {
        case 0:
            s[at] = static_cast<char>(rng());
            break;
        case 1:
            s.erase(at, 1 + rng() % 16);
            break;
        case 2:
            s.insert(at, kTokens[rng() % std::size(kTokens)]);
            break;
        default:
            s.insert(at, s.substr(rng() % s.size(), rng() % 64));
            break;
        }
    }
    return s;
}

void check_invariants(const Config& cfg, const std::string& input) {
    ASSERT_LE(cfg.domain_count, kMaxDomains) << input;
    ASSERT_LE(cfg.pool_count, kMaxPools);
    ASSERT_GE(cfg.pool_count, 1u);
    ASSERT_LE(cfg.error_count, kMaxErrors);
    for (uint32_t i = 0; i < cfg.error_count; ++i) {
        std::string text = cfg.errors[i].text;
        ASSERT_TRUE(text.rfind("line ", 0) == 0 || text.rfind("config: ", 0) == 0) << text;
        ASSERT_LE(text.size(), sizeof cfg.errors[i].text - 1);
        if (cfg.errors[i].domain != kMaxDomains) {
            ASSERT_LT(cfg.errors[i].domain, cfg.domain_count);
            ASSERT_TRUE(cfg.domains[cfg.errors[i].domain].rejected) << text;
        }
    }
    for (uint32_t i = 0; i < cfg.domain_count; ++i) {
        const DomainSpec& d = cfg.domains[i];
        if (d.rejected) continue;
        // Everything an accepted domain carries is startable as it stands.
        ASSERT_NE(d.name[0], '\0') << input;
        ASSERT_GE(d.vcpus, 1u);
        ASSERT_LE(d.vcpus, kMaxVcpusPerDomain);
        ASSERT_EQ(validate(d.params), ParamError::Ok) << input;
        ASSERT_LT(d.pool, cfg.pool_count);
        ASSERT_FALSE(cfg.pools[d.pool].rejected);
        for (uint32_t v = 0; v < d.vcpus; ++v)
            ASSERT_FALSE((d.affinity[v] & cfg.pools[d.pool].cpus).empty()) << input;
        for (uint32_t j = 0; j < i; ++j) ASSERT_STRNE(cfg.domains[j].name, d.name) << input;
    }
    CpuSet seen;
    for (uint32_t j = 0; j < cfg.pool_count; ++j) {
        if (cfg.pools[j].rejected) continue;
        ASSERT_TRUE((seen & cfg.pools[j].cpus).empty()) << "pools overlap: " << input;
        ASSERT_TRUE(cfg.pools[j].cpus.subset_of(CpuSet::first_n(cfg.ncpus)));
        seen = seen | cfg.pools[j].cpus;
    }
}

TEST(ConfigFuzz, RandomAndMutatedInputsKeepEveryInvariant) {
    std::mt19937_64 rng(kSeed);
    const std::string base = default_cfg();
    ASSERT_FALSE(base.empty());
    auto cfg = std::make_unique<Config>();
    uint32_t accepted_some = 0, rejected_some = 0;
    for (int i = 0; i < kCases; ++i) {
        std::string input;
        switch (i % 3) {
        case 0:
            input = random_bytes(rng);
            break;
        case 1:
            input = token_soup(rng);
            break;
        default:
            input = mutated(rng, base);
            break;
        }
        CpuId ncpus = static_cast<CpuId>(1 + rng() % 8);
        bool ok = parse(input.data(), input.size(), ncpus, *cfg);
        ASSERT_EQ(ok, cfg->total_errors() == 0);
        check_invariants(*cfg, input);
        if (HasFatalFailure()) return;
        accepted_some += cfg->accepted_domains() > 0 ? 1 : 0;
        rejected_some += cfg->total_errors() > 0 ? 1 : 0;
    }
    // The generators must reach both outcomes, or the test checks less than it claims.
    EXPECT_GT(accepted_some, uint32_t{kCases} / 10);
    EXPECT_GT(rejected_some, uint32_t{kCases} / 2);
}

} // namespace
} // namespace rthv::config::test
